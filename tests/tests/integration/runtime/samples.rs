//! Every action of every product compiled in: its document's response example decodes into
//! the generated model and survives a round trip through the model's serialization; an
//! action whose document shows no example does the same with the response synthesized from
//! its model (which the stub answers with).

#[test]
fn every_example_and_synthesized_response_decodes_and_round_trips() {
    let products = cloudapi::response_samples();
    // The tests enable every product of the repository; each has actions.
    assert!(products.len() >= 5, "{} products", products.len());
    let (mut examples, mut synthesized, mut failures) = (0, 0, Vec::new());
    for samples in &products {
        assert!(!samples.is_empty(), "a product version has no actions");
        for s in *samples {
            if s.synthesized {
                synthesized += 1;
            } else {
                examples += 1;
            }
            if let Err(e) = s.run() {
                failures.push(format!("{} {}: {e}", s.product, s.action));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Organization 2021-03-31 alone has 139 actions.
    assert!(examples + synthesized >= 139, "{examples} + {synthesized}");
    assert!(
        examples > 0 && synthesized > 0,
        "{examples} + {synthesized}"
    );
}

#[test]
fn a_body_the_model_cannot_decode_fails_the_check_naming_the_field() {
    let products = cloudapi::response_samples();
    let list_users = products
        .iter()
        .flat_map(|s| s.iter())
        .find(|s| s.product.starts_with("tencentcloud/organization/") && s.action == "ListUsers")
        .unwrap();
    let bad = r#"{"Response": {"TotalCounts": {"not": "a number"}, "RequestId": "r"}}"#;
    let e = (list_users.check)(list_users.protocol, bad).unwrap_err();
    assert!(e.contains("TotalCounts"), "{e}");
}
