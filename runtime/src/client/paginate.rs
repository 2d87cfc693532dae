//! Paginators: a `Stream` of pages, and of items, for actions whose spec declares pagination.

use std::collections::HashSet;
use std::future::Future;

pub use futures_util::stream::Stream;
use futures_util::stream::{self, StreamExt};

/// Token pagination (`NextToken` / `IsTruncated`). Stops when the response is not
/// truncated, has no or an empty token, or repeats a token already seen (a server bug
/// that would otherwise loop forever).
pub fn token_pages<Req, Resp, Err, F, Fut>(
    request: Req,
    fetch: F,
    next_token: fn(&Resp) -> Option<&str>,
    truncated: fn(&Resp) -> Option<bool>,
    set_token: fn(&mut Req, String),
) -> impl Stream<Item = Result<Resp, Err>>
where
    F: Fn(Req) -> Fut,
    Fut: Future<Output = Result<Resp, Err>>,
    Req: Clone,
{
    let state = Some((request, HashSet::<String>::new()));
    stream::unfold((state, fetch), move |(state, fetch)| async move {
        let (req, mut seen) = state?;
        match fetch(req.clone()).await {
            Err(e) => Some((Err(e), (None, fetch))),
            Ok(resp) => {
                let more = truncated(&resp) != Some(false);
                let next = match next_token(&resp) {
                    Some(t) if more && !t.is_empty() && seen.insert(t.to_owned()) => {
                        let mut req = req;
                        set_token(&mut req, t.to_owned());
                        Some((req, seen))
                    }
                    _ => None,
                };
                Some((Ok(resp), (next, fetch)))
            }
        }
    })
}

/// Page-number pagination (`PageNumber` / `PageSize` / `TotalCount`). Stops on an empty
/// page, a short page, or when `page × size` reaches the total.
pub fn page_number_pages<Req, Resp, Err, F, Fut>(
    request: Req,
    fetch: F,
    page: fn(&Req) -> i64,
    size: fn(&Req) -> i64,
    set_page: fn(&mut Req, i64),
    total: fn(&Resp) -> Option<i64>,
    count: fn(&Resp) -> usize,
) -> impl Stream<Item = Result<Resp, Err>>
where
    F: Fn(Req) -> Fut,
    Fut: Future<Output = Result<Resp, Err>>,
    Req: Clone,
{
    stream::unfold((Some(request), fetch), move |(state, fetch)| async move {
        let req = state?;
        match fetch(req.clone()).await {
            Err(e) => Some((Err(e), (None, fetch))),
            Ok(resp) => {
                let (p, s, n) = (page(&req), size(&req), count(&resp));
                let reached_total = total(&resp).is_some_and(|t| p.saturating_mul(s) >= t);
                let next = if n == 0 || (n as i64) < s || reached_total {
                    None
                } else {
                    let mut req = req;
                    set_page(&mut req, p + 1);
                    Some(req)
                };
                Some((Ok(resp), (next, fetch)))
            }
        }
    })
}

/// Offset pagination (`Offset` / `Limit` / `TotalCount`, Tencent Cloud's usual style). The
/// next offset is this one plus the items received (a server that caps the limit is
/// followed); stops on an empty page, when the offset reaches the total, or, without a
/// total, on a page shorter than the limit asked for.
#[allow(clippy::too_many_arguments)]
pub fn offset_pages<Req, Resp, Err, F, Fut>(
    request: Req,
    fetch: F,
    offset: fn(&Req) -> u64,
    limit: fn(&Req) -> Option<u64>,
    set_offset: fn(&mut Req, u64),
    total: fn(&Resp) -> Option<u64>,
    count: fn(&Resp) -> usize,
) -> impl Stream<Item = Result<Resp, Err>>
where
    F: Fn(Req) -> Fut,
    Fut: Future<Output = Result<Resp, Err>>,
    Req: Clone,
{
    stream::unfold((Some(request), fetch), move |(state, fetch)| async move {
        let req = state?;
        match fetch(req.clone()).await {
            Err(e) => Some((Err(e), (None, fetch))),
            Ok(resp) => {
                let n = count(&resp) as u64;
                let next_offset = offset(&req).saturating_add(n);
                // With a total, only the total ends it (a server may cap the limit); without
                // one, a page shorter than the limit asked for is the last.
                let last = match total(&resp) {
                    Some(t) => next_offset >= t,
                    None => limit(&req).is_some_and(|l| n < l),
                };
                let next = if n == 0 || last {
                    None
                } else {
                    let mut req = req;
                    set_offset(&mut req, next_offset);
                    Some(req)
                };
                Some((Ok(resp), (next, fetch)))
            }
        }
    })
}

/// Flattens a stream of pages into a stream of items.
pub fn items<Resp, Item, Err>(
    pages: impl Stream<Item = Result<Resp, Err>>,
    extract: fn(Resp) -> Vec<Item>,
) -> impl Stream<Item = Result<Item, Err>> {
    pages.flat_map(move |page| match page {
        Ok(resp) => stream::iter(extract(resp).into_iter().map(Ok)).left_stream(),
        Err(e) => stream::iter(vec![Err(e)]).right_stream(),
    })
}
