mod cli;
mod spectrum;
