//! The workspace's `uniffi-bindgen`: generates Kotlin, Swift or Python from the built library
//! (library mode): `cargo run -p zhengwu-uniffi --bin uniffi-bindgen -- generate --library
//! target/debug/libzhengwu_uniffi.so --language kotlin --out-dir bindings/uniffi/generated/kotlin`.

fn main() {
    uniffi::uniffi_bindgen_main()
}
