//! `Debug` for the secrets in generated models: the passwords, secret keys and tokens a
//! spec marks `secret: true` print as [`REDACTED`], as [`Credentials`](crate::Credentials)
//! prints its secret, so logging a request or a response does not leak them.

use std::fmt;

/// What a secret prints as.
pub const REDACTED: &str = "** redacted **";

/// A secret's `Debug`: `"** redacted **"` for a value, `Some("** redacted **")` for a
/// set option and `None` for an unset one (whether it is set is no secret).
pub struct Redacted<'a, T: ?Sized>(pub &'a T);

impl fmt::Debug for Redacted<'_, String> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(REDACTED, f)
    }
}

impl fmt::Debug for Redacted<'_, Option<String>> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0.as_ref().map(|_| REDACTED), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_print_redacted_and_unset_ones_as_none() {
        let password = "hunter2".to_owned();
        assert_eq!(format!("{:?}", Redacted(&password)), "\"** redacted **\"");
        assert_eq!(
            format!("{:?}", Redacted(&Some(password.clone()))),
            "Some(\"** redacted **\")"
        );
        assert_eq!(format!("{:?}", Redacted(&None::<String>)), "None");
        assert!(!format!("{:#?}", Redacted(&Some(password))).contains("hunter2"));
    }
}
