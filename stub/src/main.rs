//! `cloudapi-stub serve …` / `cloudapi-stub verify …`: see the library's docs and the README.

fn main() -> std::process::ExitCode {
    cloudapi_stub::main()
}
