//! Entry point of the Splitscope page (built by Trunk from `index.html`).

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(splitscope_app::app::App);
}
