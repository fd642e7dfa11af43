//! # mamori-guard
//!
//! Login protection (WIP).

pub mod advise;
mod account;
mod cli_support;
mod config;
mod factors;
mod guard;
mod hygiene;
mod reset;
mod stuffing;
mod throttle;
mod webauthn;
mod corpus;
mod env;
pub mod gridcard;
mod recovery;
mod error;
mod event;
mod password;
mod policy;
mod store;
mod totp;
mod username;

pub use account::*;
pub use cli_support::*;
pub use config::*;
pub use factors::*;
pub use guard::*;
pub use reset::*;
pub use stuffing::*;
pub use throttle::{ThrottleConfig, canonical_ip, network_of};
pub use webauthn::*;
pub use corpus::*;
pub use env::*;
pub use error::*;
pub use event::*;
pub use password::*;
pub use policy::*;
pub use recovery::*;
pub use store::*;
pub use totp::*;
pub use username::*;
