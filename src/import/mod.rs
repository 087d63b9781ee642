//! Importers that turn public data files into directory records.

pub mod wamnet;
