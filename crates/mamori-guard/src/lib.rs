//! # mamori-guard
//!
//! Login protection (WIP).

mod account;
mod corpus;
mod env;
mod error;
mod event;
mod password;
mod policy;
mod store;
mod totp;
mod username;

pub mod gridcard {
    //! placeholder
    /// placeholder
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    pub struct GridCardState;
}

pub use account::*;
pub use corpus::*;
pub use env::*;
pub use error::*;
pub use event::*;
pub use password::*;
pub use policy::*;
pub use store::*;
pub use totp::*;
pub use username::*;
