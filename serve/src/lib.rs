#![doc = include_str!("../README.md")]

mod access;
mod caller;
mod centre;
mod client;
mod error;
mod forward;
mod http;
mod page;
mod server;
mod tls;
mod writer;

pub use access::{Access, ClientEntry, Clients, ClientsFile, OfficialEntry, Scope};
pub use centre::{BatchReply, Limits, LineRejection, now};
pub use client::{Answer, Client, ClientIdentity, EventStream, ServerEvent};
pub use error::{Error, Result};
pub use forward::Forwarding;
pub use server::{Running, ServeConfig, Server};
pub use tls::ClientTrust;
