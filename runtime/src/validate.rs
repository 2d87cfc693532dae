//! Client-side validation of requests against the documented constraints.
//!
//! `build()` on a generated builder checks every constraint and reports all
//! violations at once; `build_unchecked()` checks required parameters only,
//! for when a provider has widened a documented limit.

use std::borrow::Cow;
use std::fmt;

use crate::codec::tolerant::StringEnum;

/// What a parameter broke.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ViolationKind {
    /// A required parameter was not set.
    Required,
    /// Below the documented minimum.
    Minimum {
        /// The documented minimum.
        min: i64,
        /// The value given.
        actual: i64,
    },
    /// Above the documented maximum.
    Maximum {
        /// The documented maximum.
        max: i64,
        /// The value given.
        actual: i64,
    },
    /// Not one of the documented values.
    NotInEnum {
        /// The value given.
        value: String,
        /// The documented values.
        allowed: &'static [&'static str],
    },
    /// Set without the parameter it requires.
    Requires {
        /// The parameter that must be set too.
        other: &'static str,
    },
    /// Set together with a parameter it must not be combined with.
    Conflicts {
        /// The parameter it was combined with.
        other: &'static str,
    },
}

/// One broken constraint, naming the parameter (its wire name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The parameter's wire name; inside a nested structure, its path from the request
    /// (`Filters[0].Values`, `Tags[env].Key`).
    pub parameter: Cow<'static, str>,
    /// What it broke.
    pub kind: ViolationKind,
    /// Reads like the provider's own message where the document gives one.
    pub message: String,
}

/// Every constraint a request broke, reported at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    action: &'static str,
    violations: Vec<Violation>,
}

impl ValidationError {
    /// The action whose request was invalid.
    pub fn action(&self) -> &'static str {
        self.action
    }
    /// Every violation, in parameter order.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }
    /// A required parameter that is not set.
    pub fn missing(action: &'static str, parameter: &'static str) -> Self {
        let message = fill(Messages::DEFAULT.required, &[parameter]);
        ValidationError {
            action,
            violations: vec![Violation {
                parameter: Cow::Borrowed(parameter),
                kind: ViolationKind::Required,
                message,
            }],
        }
    }
    /// The violation for one parameter, if any.
    pub fn for_parameter(&self, parameter: &str) -> Option<&Violation> {
        self.violations.iter().find(|v| v.parameter == parameter)
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {} request: ", self.action)?;
        for (i, v) in self.violations.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            f.write_str(&v.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationError {}

/// Message templates (`%s` is replaced by the parameter, then the limit or value).
/// Products whose documents give messages (Alibaba's `Parameter.Maximum`) override these.
#[derive(Debug, Clone, Copy)]
pub struct Messages {
    /// A required parameter is missing (`%s`: the parameter).
    pub required: &'static str,
    /// Below the minimum (`%s`: the parameter, then the minimum).
    pub minimum: &'static str,
    /// Above the maximum (`%s`: the parameter, then the maximum).
    pub maximum: &'static str,
    /// Not a documented value (`%s`: the parameter, then the values).
    pub not_in_enum: &'static str,
}

impl Messages {
    /// Messages for products whose documents give none.
    pub const DEFAULT: Messages = Messages {
        required: "The parameter %s is required.",
        minimum: "The parameter %s must be greater than or equal to %s.",
        maximum: "The parameter %s must be less than or equal to %s.",
        not_in_enum: "The parameter %s must be one of %s.",
    };
}

fn fill(template: &str, args: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut args = args.iter();
    let mut rest = template;
    while let Some(i) = rest.find("%s") {
        out.push_str(&rest[..i]);
        out.push_str(args.next().copied().unwrap_or("%s"));
        rest = &rest[i + 2..];
    }
    out.push_str(rest);
    out
}

/// Collects violations while a generated `validate` walks its parameters, and the
/// fields of the structures inside them ([`enter`](Self::enter) / [`leave`](Self::leave)).
#[derive(Debug)]
pub struct Validator {
    action: &'static str,
    messages: &'static Messages,
    violations: Vec<Violation>,
    /// The path of the structure being checked (`Filters[0]`), empty at the top.
    prefix: String,
    /// Where each entered level's prefix started.
    levels: Vec<usize>,
}

/// How deep nested structures are checked; deeper levels are not descended into.
const MAX_DEPTH: usize = 32;

impl Validator {
    /// A validator for one action's request.
    pub fn new(action: &'static str, messages: &'static Messages) -> Self {
        Validator {
            action,
            messages,
            violations: Vec::new(),
            prefix: String::new(),
            levels: Vec::new(),
        }
    }

    /// The name of `parameter` as reported: its path from the request.
    fn path(&self, parameter: &'static str) -> Cow<'static, str> {
        if self.prefix.is_empty() {
            Cow::Borrowed(parameter)
        } else {
            Cow::Owned(format!("{}.{parameter}", self.prefix))
        }
    }

    fn push(&mut self, parameter: Cow<'static, str>, kind: ViolationKind, message: String) {
        self.violations.push(Violation {
            parameter,
            kind,
            message,
        });
    }

    fn enter_with(&mut self, name: &str, suffix: fmt::Arguments<'_>) {
        self.levels.push(self.prefix.len());
        if !self.prefix.is_empty() {
            self.prefix.push('.');
        }
        self.prefix.push_str(name);
        fmt::Write::write_fmt(&mut self.prefix, suffix).ok();
    }

    /// Starts checking the structure in the field `name`; fields are then reported as
    /// `name.Field`. Every `enter` is paired with a [`leave`](Self::leave).
    pub fn enter(&mut self, name: &str) {
        self.enter_with(name, format_args!(""));
    }

    /// Starts checking element `index` (from 0) of the list of structures `name`:
    /// `name[index].Field`.
    pub fn enter_index(&mut self, name: &str, index: usize) {
        self.enter_with(name, format_args!("[{index}]"));
    }

    /// Starts checking the entry `key` of the map of structures `name`: `name[key].Field`.
    pub fn enter_key(&mut self, name: &str, key: &str) {
        self.enter_with(name, format_args!("[{key}]"));
    }

    /// Ends the innermost [`enter`](Self::enter).
    pub fn leave(&mut self) {
        if let Some(len) = self.levels.pop() {
            self.prefix.truncate(len);
        }
    }

    /// Whether nested structures are still checked at this depth (bounded, so a hostile
    /// value built by hand cannot make the check recurse without limit).
    pub fn can_descend(&self) -> bool {
        self.levels.len() < MAX_DEPTH
    }

    /// A required parameter must be set.
    pub fn required(&mut self, parameter: &'static str, present: bool) {
        if !present {
            let p = self.path(parameter);
            let m = fill(self.messages.required, &[&p]);
            self.push(p, ViolationKind::Required, m);
        }
    }

    /// An integer must lie within the documented range.
    pub fn range(
        &mut self,
        parameter: &'static str,
        value: Option<i64>,
        min: Option<i64>,
        max: Option<i64>,
    ) {
        let Some(actual) = value else { return };
        if let Some(min) = min.filter(|m| actual < *m) {
            let p = self.path(parameter);
            let m = fill(self.messages.minimum, &[&p, &min.to_string()]);
            self.push(p, ViolationKind::Minimum { min, actual }, m);
        }
        if let Some(max) = max.filter(|m| actual > *m) {
            let p = self.path(parameter);
            let m = fill(self.messages.maximum, &[&p, &max.to_string()]);
            self.push(p, ViolationKind::Maximum { max, actual }, m);
        }
    }

    /// Enum values must be documented ones.
    pub fn known<'a, E: StringEnum + 'a>(
        &mut self,
        parameter: &'static str,
        values: impl IntoIterator<Item = &'a E>,
    ) {
        for v in values {
            self.known_value(parameter, v.as_str(), v.is_known(), E::VALUES);
        }
    }

    /// The non-generic part of [`Self::known`], kept out of every enum's instantiation.
    fn known_value(
        &mut self,
        parameter: &'static str,
        value: &str,
        is_known: bool,
        allowed: &'static [&'static str],
    ) {
        if !is_known {
            let p = self.path(parameter);
            let m = fill(self.messages.not_in_enum, &[&p, &allowed.join(", ")]);
            self.push(
                p,
                ViolationKind::NotInEnum {
                    value: value.to_owned(),
                    allowed,
                },
                m,
            );
        }
    }

    /// `parameter` may be set only together with `other`.
    pub fn requires(
        &mut self,
        parameter: &'static str,
        present: bool,
        other: &'static str,
        other_present: bool,
    ) {
        if present && !other_present {
            let m = format!("The parameter {parameter} requires {other} to be set too.");
            let p = self.path(parameter);
            self.push(p, ViolationKind::Requires { other }, m);
        }
    }

    /// At most one of `params` (name, is set) may be set.
    pub fn conflicts(&mut self, params: &[(&'static str, bool)]) {
        let set: Vec<&'static str> = params.iter().filter(|p| p.1).map(|p| p.0).collect();
        if let [first, second, ..] = set[..] {
            let m = format!("The parameter {first} must not be combined with {second}.");
            let p = self.path(first);
            self.push(p, ViolationKind::Conflicts { other: second }, m);
        }
    }

    /// All violations found, or `Ok`.
    pub fn finish(self) -> Result<(), ValidationError> {
        if self.violations.is_empty() {
            Ok(())
        } else {
            Err(ValidationError {
                action: self.action,
                violations: self.violations,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_fill_in_order_and_keep_extra_markers() {
        assert_eq!(
            fill(
                "The parameter %s must be less than or equal to %s.",
                &["PageSize", "100"]
            ),
            "The parameter PageSize must be less than or equal to 100."
        );
        assert_eq!(fill("%s and %s", &["a"]), "a and %s");
    }

    static M: Messages = Messages::DEFAULT;

    #[test]
    fn nested_fields_are_named_by_their_path() {
        let mut v = Validator::new("Describe", &M);
        v.required("Top", false);
        v.enter_index("Filters", 0);
        v.required("Name", true);
        v.range("Limit", Some(0), Some(1), None);
        v.enter("Inner");
        v.required("Key", false);
        v.leave();
        v.leave();
        v.enter_key("Tags", "env");
        v.required("Value", false);
        v.leave();
        v.required("Last", false);
        let e = v.finish().unwrap_err();
        let names: Vec<&str> = e.violations().iter().map(|v| &*v.parameter).collect();
        assert_eq!(
            names,
            [
                "Top",
                "Filters[0].Limit",
                "Filters[0].Inner.Key",
                "Tags[env].Value",
                "Last"
            ]
        );
        assert_eq!(
            e.violations()[1].message,
            "The parameter Filters[0].Limit must be greater than or equal to 1."
        );
        assert!(e.for_parameter("Filters[0].Inner.Key").is_some());
    }

    #[test]
    fn descent_is_bounded() {
        let mut v = Validator::new("Describe", &M);
        let mut depth = 0;
        while v.can_descend() {
            v.enter("A");
            depth += 1;
        }
        assert_eq!(depth, MAX_DEPTH);
    }
}
