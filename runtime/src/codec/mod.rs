//! Decoding and encoding values, the layer below everything that touches the wire:
//! UTC times ([`time`]), the scalars that are neither numbers nor strings ([`scalar`]),
//! tolerant JSON decoding and the generated structures' machinery ([`tolerant`]), XML
//! ([`xml`]), flattened query and form parameters ([`flat`]) and success bodies decoded
//! into their models ([`response`]).

pub mod flat;
pub mod response;
pub mod scalar;
pub mod time;
pub mod tolerant;
pub mod xml;
