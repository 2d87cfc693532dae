//! An action as data: the [`Action`] trait every generated action implements, and the
//! generic machinery over it: sending ([`send`]), the fluent [`Call`] and [`Paginator`].
//!
//! A generated action is a unit type (`CreateVpc`) whose `impl Action` names its
//! request, builder, response and error types and gives its static facts: the product
//! version ([`Service`]), the [`Operation`] (wire name, rate limit, safety), the
//! [`RequestLayout`] and the response sample the stub answers with. Everything else —
//! laying out, signing, retrying, decoding, answering in the stub, paging — is written
//! once here, generic over `A: Action`, and instantiated only for the actions a program
//! calls.

use std::fmt;
use std::future::Future;

use serde::Serialize;

use crate::client::error::SdkError;
use crate::client::paginate::{self, Stream};
use crate::client::Client;
use crate::codec::response::Model;
use crate::protocol::error::ServiceError;
use crate::protocol::layout::RequestLayout;
use crate::protocol::service::{Operation, Service};
use crate::protocol::Protocol;
use crate::validate::ValidationError;

/// One action of one product version.
pub trait Action: Sized + Send + Sync + 'static {
    /// The product version's client type: a tag, so that a client sends only its own
    /// product version's actions.
    type Client;
    /// The request.
    type Request: ActionRequest<Action = Self>;
    /// The request's builder, which checks the documented constraints.
    type Builder: RequestBuilder<Request = Self::Request>;
    /// The decoded success answer.
    type Response: Model + Send + 'static;
    /// The action's service error (its documented codes and an unhandled case).
    type Error: ServiceError + Send + Sync + 'static;
    /// The product version.
    const SERVICE: &'static Service;
    /// The wire name, rate limit and safety to retry.
    const OPERATION: Operation;
    /// Where each parameter goes on the wire.
    const LAYOUT: &'static RequestLayout;
    /// The stub's answer: the document's example, or one synthesized from the model.
    const SAMPLE: Sample;
    /// The product's error codes for the violations the provider itself reports
    /// (`("required", "MissingParameter")`): the stub answers a request that breaks a
    /// documented constraint with them.
    const VIOLATION_CODES: &'static [(&'static str, &'static str)] = &[];
    /// The parameters whose cross-field rules the provider resolves itself, so the stub
    /// lets them pass.
    const ADVISORY: &'static [&'static str] = &[];

    /// Completes a request before it is first sent: fills an unset idempotency token,
    /// once per call, so every attempt carries the same.
    fn prepare(request: &mut Self::Request) {
        let _ = request;
    }
}

/// A request type, linked to its action.
pub trait ActionRequest: Serialize + Clone + fmt::Debug + Send + Sync + 'static {
    /// The action this requests.
    type Action: Action<Request = Self>;

    /// Checks every documented constraint; all violations are reported together.
    fn check(&self) -> Result<(), ValidationError>;
}

/// A request builder.
pub trait RequestBuilder: Default + Clone + fmt::Debug + Send + 'static {
    /// What it builds.
    type Request;

    /// Builds the request, checking every documented constraint (`checked`) or only that
    /// required parameters are set.
    fn build_request(self, checked: bool) -> Result<Self::Request, ValidationError>;
}

/// An action's response sample: what the stub answers with by default, and what the
/// test suite decodes to check the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sample {
    /// The JSON body; for an action whose answer is text or bytes
    /// ([`Answer`](crate::codec::response::Answer)), the body's text.
    pub json: &'static str,
    /// The document's XML example, where it gives one.
    pub xml: Option<&'static str>,
    /// Whether `json` was synthesized from the model (the document shows no example).
    pub synthesized: bool,
}

impl Sample {
    /// The document's JSON example.
    pub const fn example(json: &'static str) -> Self {
        Sample {
            json,
            xml: None,
            synthesized: false,
        }
    }

    /// A body synthesized from the model, where the document shows none.
    pub const fn synthesized(json: &'static str) -> Self {
        Sample {
            json,
            xml: None,
            synthesized: true,
        }
    }

    /// The document's XML example besides the JSON.
    pub const fn with_xml(mut self, xml: &'static str) -> Self {
        self.xml = Some(xml);
        self
    }
}

/// One action's success body as its document shows it (or, where it shows none, as
/// synthesized from the model) with a check that the generated model decodes it, and
/// decodes its own serialization to the same value. Generated per product version
/// (`RESPONSE_SAMPLES`), for tests over every action.
#[derive(Debug, Clone, Copy)]
pub struct ResponseSample {
    /// The product version (`tencentcloud/organization/2021-03-31`).
    pub product: &'static str,
    /// The action.
    pub action: &'static str,
    /// The product version's protocol (where the body sits in its envelope).
    pub protocol: Protocol,
    /// The JSON body (the text of a text or bytes answer).
    pub json: &'static str,
    /// Whether `json` was synthesized from the model (the document shows no example).
    pub synthesized: bool,
    /// Decodes `json` with the action's response model and round-trips it.
    pub check: fn(Protocol, &str) -> Result<(), String>,
}

impl ResponseSample {
    /// The sample of the action `A` of the product version `product`.
    pub const fn of<A: Action>(product: &'static str) -> Self
    where
        A::Response: serde::Serialize + PartialEq + fmt::Debug,
    {
        ResponseSample {
            product,
            action: A::OPERATION.action,
            protocol: A::SERVICE.protocol,
            json: A::SAMPLE.json,
            synthesized: A::SAMPLE.synthesized,
            check: crate::codec::response::round_trip::<A::Response>,
        }
    }

    /// Runs [`check`](Self::check) on the sample's own body.
    pub fn run(&self) -> Result<(), String> {
        (self.check)(self.protocol, self.json)
    }
}

impl Client {
    /// Calls the action `A` with `request` (already validated: it is not checked again),
    /// filling its idempotency token first where it has one.
    pub async fn call<A: Action>(
        &self,
        request: A::Request,
    ) -> Result<A::Response, SdkError<A::Error>> {
        send::<A>(self, request).await
    }
}

/// Sends a request of `A` on `client`: fills the idempotency token, lays the request out
/// and calls. The request is not validated again.
pub async fn send<A: Action>(
    client: &Client,
    mut request: A::Request,
) -> Result<A::Response, SdkError<A::Error>> {
    A::prepare(&mut request);
    client.call_payload(&A::OPERATION, payload(&request)).await
}

/// A request as the client sends it: laid out by its protocol from the action's
/// [`LAYOUT`](Action::LAYOUT) (a JSON body, a query flattened as `Name.1.Key`, or a
/// RESTful request). For signing or sending by hand; [`send`] does it all.
pub fn payload<R: ActionRequest>(request: &R) -> crate::protocol::Payload {
    crate::protocol::layout::payload(
        R::Action::SERVICE.protocol,
        R::Action::OPERATION.action,
        R::Action::SERVICE.version,
        R::Action::LAYOUT,
        request,
    )
}

/// An action being set up on a client: the fluent form. The generated product crates wrap
/// it in their own `Call<A>` type, which adds the action's setters.
#[derive(Debug, Clone)]
pub struct Call<A: Action> {
    client: Client,
    builder: A::Builder,
}

impl<A: Action> Call<A> {
    /// A call of `A` on `client`, with no parameter set.
    pub fn new(client: Client) -> Self {
        Call {
            client,
            builder: A::Builder::default(),
        }
    }

    /// Changes the builder (the generated setters go through here).
    pub fn map(mut self, f: impl FnOnce(A::Builder) -> A::Builder) -> Self {
        self.builder = f(self.builder);
        self
    }

    /// The builder as set so far.
    pub fn builder(&self) -> &A::Builder {
        &self.builder
    }

    /// Checks every documented constraint, then sends. A broken constraint is
    /// [`SdkError::Construction`] and nothing is sent.
    pub fn send(self) -> impl Future<Output = Result<A::Response, SdkError<A::Error>>> {
        self.build_and_send(true)
    }

    /// Checks only that required parameters are set, then sends: for a documented limit
    /// that has gone stale.
    pub fn send_unchecked(self) -> impl Future<Output = Result<A::Response, SdkError<A::Error>>> {
        self.build_and_send(false)
    }

    /// The one future a fluent call compiles to per action (the layers above return it
    /// as it is, so a program pays one state machine per action it sends).
    async fn build_and_send(self, checked: bool) -> Result<A::Response, SdkError<A::Error>> {
        let mut request = self
            .builder
            .build_request(checked)
            .map_err(SdkError::Construction)?;
        A::prepare(&mut request);
        self.client
            .call_payload(&A::OPERATION, payload(&request))
            .await
    }

    /// Every page, from this call on: see [`Paginator`].
    pub fn into_paginator(self) -> Paginator<A>
    where
        A: Paginated,
    {
        Paginator {
            client: self.client,
            request: self.builder.build_request(true),
        }
    }
}

/// An action whose answers come in pages, and how to follow them.
pub trait Paginated: Action {
    /// One item of a page's list.
    type Item: Send + 'static;
    /// How the next page is asked for and when the last has come.
    const PAGING: Paging<Self::Request, Self::Response>;
    /// Moves the page's list out of an answer.
    fn items(response: Self::Response) -> Vec<Self::Item>;
}

/// The paging styles of the two clouds, as accessors of the request and the answer.
pub enum Paging<Req, Resp> {
    /// `NextToken` (with `IsTruncated` where the answer has it); see
    /// [`paginate::token_pages`].
    Token {
        /// The answer's next token.
        next_token: fn(&Resp) -> Option<&str>,
        /// Whether more pages follow, where the answer says.
        truncated: fn(&Resp) -> Option<bool>,
        /// Sets the request's token.
        set_token: fn(&mut Req, String),
    },
    /// `PageNumber` / `PageSize` / `TotalCount`; see [`paginate::page_number_pages`].
    PageNumber {
        /// The request's page number.
        page: fn(&Req) -> i64,
        /// The request's page size.
        size: fn(&Req) -> i64,
        /// Sets the request's page number.
        set_page: fn(&mut Req, i64),
        /// The answer's total, where it has one.
        total: fn(&Resp) -> Option<i64>,
        /// The length of the answer's list.
        count: fn(&Resp) -> usize,
    },
    /// `Offset` / `Limit` / `TotalCount`; see [`paginate::offset_pages`].
    Offset {
        /// The request's offset.
        offset: fn(&Req) -> u64,
        /// The request's limit.
        limit: fn(&Req) -> Option<u64>,
        /// Sets the request's offset.
        set_offset: fn(&mut Req, u64),
        /// The answer's total, where it has one.
        total: fn(&Resp) -> Option<u64>,
        /// The length of the answer's list.
        count: fn(&Resp) -> usize,
    },
}

/// Every page (or item) of a paged action, as a stream: it stops on the provider's end
/// signal (an empty or repeated token, a truncated flag, the total reached, a short or
/// empty page). A request that breaks a documented constraint yields one
/// [`SdkError::Construction`] and nothing is sent.
#[derive(Debug, Clone)]
pub struct Paginator<A: Paginated> {
    client: Client,
    request: Result<A::Request, ValidationError>,
}

impl<A: Paginated> Paginator<A> {
    /// The pages from `request` on (already built, so not validated again).
    pub fn new(client: Client, request: A::Request) -> Self {
        Paginator {
            client,
            request: Ok(request),
        }
    }

    /// Every answer, page by page.
    pub fn pages(
        self,
    ) -> impl Stream<Item = Result<A::Response, SdkError<A::Error>>> + Send + 'static {
        use futures_util::stream::StreamExt;
        let request = match self.request {
            Ok(r) => r,
            Err(e) => {
                return futures_util::stream::iter([Err(SdkError::Construction(e))]).left_stream()
            }
        };
        let client = self.client;
        let fetch = move |req: A::Request| {
            let client = client.clone();
            async move { send::<A>(&client, req).await }
        };
        match A::PAGING {
            Paging::Token {
                next_token,
                truncated,
                set_token,
            } => paginate::token_pages(request, fetch, next_token, truncated, set_token)
                .boxed()
                .right_stream(),
            Paging::PageNumber {
                page,
                size,
                set_page,
                total,
                count,
            } => paginate::page_number_pages(request, fetch, page, size, set_page, total, count)
                .boxed()
                .right_stream(),
            Paging::Offset {
                offset,
                limit,
                set_offset,
                total,
                count,
            } => paginate::offset_pages(request, fetch, offset, limit, set_offset, total, count)
                .boxed()
                .right_stream(),
        }
    }

    /// Every item of every page.
    pub fn items(self) -> impl Stream<Item = Result<A::Item, SdkError<A::Error>>> + Send + 'static {
        paginate::items(self.pages(), A::items)
    }
}
