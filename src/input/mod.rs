//! The input stage: open, transcode and parse the file (`reader`), then give each column its
//! meaning and each row its request (`mapping`).

pub mod mapping;
pub mod reader;
