//! Cross-field rules: `requires` names two different parameters, `conflicts` two or
//! more, and every name is a parameter of the action.

use super::{Cx, Unique};
use crate::ir;
use crate::names::closest;
use crate::source::FileId;
use crate::spec::{ActionSpec, ConflictsRule, RequiresRule};

impl Cx<'_> {
    /// Checks the action's rules against its lowered parameters and lowers those that pass.
    pub(super) fn rules(
        &mut self,
        f: FileId,
        s: &ActionSpec,
        params: &[ir::Param],
    ) -> Vec<ir::Rule> {
        let mut out = Vec::new();
        for (i, r) in s.rules.iter().enumerate() {
            let rule = match (&r.requires, &r.conflicts) {
                (Some(q), None) => self.requires(f, s, i, q, params),
                (None, Some(c)) => self.conflicts(f, s, i, c, params),
                _ => {
                    self.err(
                        f,
                        &format!("rules[{i}]"),
                        "a rule must have exactly one of `requires` or `conflicts`",
                        "ambiguous rule",
                        "write each rule as its own list item",
                    );
                    None
                }
            };
            out.extend(rule);
        }
        out
    }

    fn requires(
        &mut self,
        f: FileId,
        s: &ActionSpec,
        i: usize,
        q: &RequiresRule,
        params: &[ir::Param],
    ) -> Option<ir::Rule> {
        let a = self.param_index(
            f,
            &format!("rules[{i}].requires.parameter"),
            &q.parameter,
            params,
            s,
        );
        let b = self.param_index(
            f,
            &format!("rules[{i}].requires.requires"),
            &q.requires,
            params,
            s,
        );
        let (a, b) = (a?, b?);
        if a == b {
            self.err(
                f,
                &format!("rules[{i}].requires.requires"),
                format!("`{}` cannot require itself", q.parameter),
                "same parameter",
                "name two different parameters",
            );
            return None;
        }
        Some(ir::Rule::Requires {
            param: a,
            requires: b,
            description: q.description.clone(),
            advisory: q.advisory,
        })
    }

    fn conflicts(
        &mut self,
        f: FileId,
        s: &ActionSpec,
        i: usize,
        c: &ConflictsRule,
        params: &[ir::Param],
    ) -> Option<ir::Rule> {
        let idx: Vec<Option<usize>> = c
            .parameters
            .iter()
            .enumerate()
            .map(|(j, n)| {
                self.param_index(
                    f,
                    &format!("rules[{i}].conflicts.parameters[{j}]"),
                    n,
                    params,
                    s,
                )
            })
            .collect();
        let mut seen = Unique::default();
        let distinct = c
            .parameters
            .iter()
            .enumerate()
            .all(|(j, n)| seen.claim(n, j).is_ok());
        if c.parameters.len() < 2 || !distinct {
            self.err(
                f,
                &format!("rules[{i}].conflicts.parameters"),
                "a conflicts rule needs two or more different parameters",
                "too few parameters",
                "list the parameters that must not be set together",
            );
            return None;
        }
        let params = idx.into_iter().collect::<Option<Vec<usize>>>()?;
        Some(ir::Rule::Conflicts {
            params,
            description: c.description.clone(),
            advisory: c.advisory,
        })
    }

    /// The index of the lowered parameter `name`; unknown names are reported here.
    fn param_index(
        &mut self,
        f: FileId,
        path: &str,
        name: &str,
        params: &[ir::Param],
        s: &ActionSpec,
    ) -> Option<usize> {
        if let Some(i) = params.iter().position(|p| p.name == name) {
            return Some(i);
        }
        // A parameter that exists in the spec but failed its own checks is already reported.
        if s.parameters.iter().any(|p| p.name == name) {
            return None;
        }
        let help = match closest(name, s.parameters.iter().map(|p| p.name.as_str())) {
            Some(c) => format!("did you mean `{c}`?"),
            None => {
                let names: Vec<&str> = s.parameters.iter().map(|p| p.name.as_str()).collect();
                format!("the action's parameters are: {}", names.join(", "))
            }
        };
        self.err(
            f,
            path,
            format!("`{name}` is not a parameter of {}", s.name),
            "unknown parameter",
            help,
        );
        None
    }
}
