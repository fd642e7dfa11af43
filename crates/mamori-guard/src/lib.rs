//! # mamori-guard
//!
//! Login protection (WIP).

mod account;
pub mod advise;
mod cli_support;
mod config;
mod corpus;
mod env;
mod error;
mod event;
mod factors;
pub mod gridcard;
mod guard;
mod hygiene;
mod outcome;
mod password;
mod policy;
mod recovery;
mod reset;
mod store;
mod stuffing;
mod throttle;
mod totp;
mod username;
mod webauthn;

pub use account::*;
pub use cli_support::*;
pub use config::*;
pub use corpus::*;
pub use env::*;
pub use error::*;
pub use event::*;
pub use factors::*;
pub use guard::Guard;
pub use outcome::*;
pub use password::*;
pub use policy::*;
pub use recovery::*;
pub use reset::*;
pub use store::*;
pub use stuffing::*;
pub use throttle::{ThrottleConfig, canonical_ip, network_of};
pub use totp::*;
pub use username::*;
pub use webauthn::*;
