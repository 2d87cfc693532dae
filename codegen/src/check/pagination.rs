//! Pagination: exactly one style; the page / token parameters exist with the right
//! type; the response paths (`Data.List`) lead through structures to fields of the
//! right type.

use std::collections::HashMap;

use super::Cx;
use crate::ir::{self, Ty};
use crate::names::closest;
use crate::source::FileId;
use crate::spec::{OffsetPagination, PageNumberPagination, PaginationSpec, TokenPagination};

/// What pagination names are resolved against: the action's lowered parameters,
/// its response structure, and the structures its paths may go through.
struct Paging<'p> {
    f: FileId,
    params: &'p [ir::Param],
    response: &'p ir::StructDef,
    structs: &'p HashMap<&'p str, &'p ir::StructDef>,
}

/// A response path resolved: the steps to the field, and the field's type.
type Resolved = (Vec<ir::PathStep>, Ty);

impl Cx<'_> {
    /// Checks and lowers the pagination of an action whose response is `response`
    /// (`None` if the response has problems of its own).
    pub(super) fn pagination(
        &mut self,
        f: FileId,
        p: &PaginationSpec,
        params: &[ir::Param],
        response: Option<&ir::StructDef>,
        structs: &HashMap<&str, &ir::StructDef>,
    ) -> Option<ir::Pagination> {
        let pg = Paging {
            f,
            params,
            response: response?,
            structs,
        };
        match (&p.page_number, &p.token, &p.offset) {
            (Some(pn), None, None) => self.page_number(&pg, pn),
            (None, Some(t), None) => self.token(&pg, t),
            (None, None, Some(o)) => self.offset(&pg, o),
            _ => {
                self.err(
                    f,
                    "pagination",
                    "pagination must have exactly one of `page_number`, `token` or `offset`",
                    "ambiguous pagination",
                    "keep the style the document describes",
                );
                None
            }
        }
    }

    fn page_number(&mut self, pg: &Paging, pn: &PageNumberPagination) -> Option<ir::Pagination> {
        let page = self.page_param(pg, "pagination.page_number.page", &pn.page, Ty::Integer);
        let size = self.page_param(pg, "pagination.page_number.size", &pn.size, Ty::Integer);
        let total = pn.total.as_ref().map(|t| {
            self.response_field(
                pg,
                "pagination.page_number.total",
                t,
                |t| *t == Ty::Integer,
                "an integer",
            )
        });
        let items = self.response_field(
            pg,
            "pagination.page_number.items",
            &pn.items,
            is_list,
            "a list",
        );
        let (Some(page), Some(size), Some((items, Ty::List(item)))) = (page, size, items) else {
            return None;
        };
        let total = match total {
            Some(Some((steps, _))) => Some(steps),
            Some(None) => return None,
            None => None,
        };
        Some(ir::Pagination::PageNumber {
            page,
            size,
            total,
            items,
            item_ty: *item,
        })
    }

    fn offset(&mut self, pg: &Paging, o: &OffsetPagination) -> Option<ir::Pagination> {
        let counts = [Ty::Integer, Ty::U64];
        let offset = self.page_param_of(pg, "pagination.offset.offset", &o.offset, &counts);
        let limit = self.page_param_of(pg, "pagination.offset.limit", &o.limit, &counts);
        let total = o.total.as_ref().map(|t| {
            self.response_field(
                pg,
                "pagination.offset.total",
                t,
                |t| matches!(t, Ty::Integer | Ty::U64),
                "an integer",
            )
        });
        let items = self.response_field(pg, "pagination.offset.items", &o.items, is_list, "a list");
        let (Some(offset), Some(limit), Some((items, Ty::List(item)))) = (offset, limit, items)
        else {
            return None;
        };
        let total = match total {
            Some(Some(t)) => Some(t),
            Some(None) => return None,
            None => None,
        };
        Some(ir::Pagination::Offset {
            offset,
            limit,
            total,
            items,
            item_ty: *item,
        })
    }

    fn token(&mut self, pg: &Paging, t: &TokenPagination) -> Option<ir::Pagination> {
        let request = self.page_param(pg, "pagination.token.request", &t.request, Ty::String);
        let response = self.response_field(
            pg,
            "pagination.token.response",
            &t.response,
            |t| *t == Ty::String,
            "a string",
        );
        let truncated = t.truncated.as_ref().map(|tr| {
            self.response_field(
                pg,
                "pagination.token.truncated",
                tr,
                |t| *t == Ty::Boolean,
                "a boolean",
            )
        });
        let items = self.response_field(pg, "pagination.token.items", &t.items, is_list, "a list");
        let (Some(request), Some((response, _)), Some((items, Ty::List(item)))) =
            (request, response, items)
        else {
            return None;
        };
        let truncated = match truncated {
            Some(Some((steps, _))) => Some(steps),
            Some(None) => return None,
            None => None,
        };
        Some(ir::Pagination::Token {
            request,
            response,
            truncated,
            items,
            item_ty: *item,
        })
    }

    /// The index of the parameter `name`, if it exists and has type `want`.
    fn page_param(&mut self, pg: &Paging, path: &str, name: &str, want: Ty) -> Option<usize> {
        self.page_param_of(pg, path, name, std::slice::from_ref(&want))
    }

    /// The index of the parameter `name`, if it exists and has one of the types `want`.
    fn page_param_of(&mut self, pg: &Paging, path: &str, name: &str, want: &[Ty]) -> Option<usize> {
        match pg.params.iter().position(|x| x.name == name) {
            Some(i) if want.contains(&pg.params[i].ty) => Some(i),
            Some(_) => {
                let names: Vec<String> = want.iter().map(|t| format!("{t:?}")).collect();
                self.err(
                    pg.f,
                    path,
                    format!(
                        "pagination parameter `{name}` must be of type {}",
                        names.join(" or ")
                    ),
                    "wrong type",
                    "point at the parameter that carries the page or token",
                );
                None
            }
            None => {
                self.err(
                    pg.f,
                    path,
                    format!("`{name}` is not a parameter of this action"),
                    "unknown parameter",
                    "name one of the action's parameters",
                );
                None
            }
        }
    }

    /// The response field at `dotted`, if it exists and its type is `ok` (described as `what`).
    fn response_field(
        &mut self,
        pg: &Paging,
        path: &str,
        dotted: &str,
        ok: fn(&Ty) -> bool,
        what: &str,
    ) -> Option<Resolved> {
        let (steps, ty) = self.response_path(pg, path, dotted)?;
        if !ok(&ty) {
            self.err(
                pg.f,
                path,
                format!("`{dotted}` must be {what}"),
                "wrong type",
                format!("point at the response field that is {what}"),
            );
            return None;
        }
        Some((steps, ty))
    }

    /// Resolves `Data.List` against the response structure and the lowered named types.
    fn response_path(&mut self, pg: &Paging, path: &str, dotted: &str) -> Option<Resolved> {
        let mut steps = Vec::new();
        let mut current = pg.response;
        let mut ty: Option<Ty> = None;
        for (k, seg) in dotted.split('.').enumerate() {
            if k > 0 {
                match &ty {
                    Some(Ty::Struct(r)) => current = pg.structs.get(r.rust_name.as_str())?,
                    _ => {
                        let prefix = dotted.split('.').take(k).collect::<Vec<_>>().join(".");
                        self.err(
                            pg.f,
                            path,
                            format!("`{dotted}`: `{prefix}` is not a structure"),
                            "cannot go further",
                            "paths go through structure fields only",
                        );
                        return None;
                    }
                }
            }
            let Some(fl) = current.fields.iter().find(|x| x.name == seg) else {
                self.unknown_field(pg.f, path, dotted, current, seg);
                return None;
            };
            steps.push(ir::PathStep {
                rust_name: fl.rust_name.clone(),
                is_list: is_list(&fl.ty),
            });
            ty = Some(fl.ty.clone());
        }
        ty.map(|t| (steps, t))
    }

    fn unknown_field(
        &mut self,
        f: FileId,
        path: &str,
        dotted: &str,
        current: &ir::StructDef,
        seg: &str,
    ) {
        let names = current
            .fields
            .iter()
            .map(|x| x.name.as_str())
            .collect::<Vec<_>>();
        let help = match closest(seg, names.iter().copied()) {
            Some(c) => format!("did you mean `{c}`?"),
            None => format!(
                "the fields of `{}` are: {}",
                current.rust_name,
                names.join(", ")
            ),
        };
        self.err(
            f,
            path,
            format!("`{dotted}`: `{}` has no field `{seg}`", current.rust_name),
            "unknown field",
            help,
        );
    }
}

fn is_list(t: &Ty) -> bool {
    matches!(t, Ty::List(_))
}
