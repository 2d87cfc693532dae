//! Cross-crate tests of the generated crate live in `tests/tests/`.
