fn main() {
    std::process::exit(litellm_lint::cli::main());
}
