//! Entry point of the analysis Web Worker (built by Trunk with `data-type="worker"`).

fn main() {
    splitscope_app::worker::start();
}
