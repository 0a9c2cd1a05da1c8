//! Accuracy test of `similarity` on the labelled pairs in
//! `tests/data/name_pairs.csv` (header `left,right,same`).

use sportello_cases::domain::names::{DUPLICATE_THRESHOLD, similarity};

const DATA: &str = include_str!("data/name_pairs.csv");

struct Pair {
    line: usize,
    left: String,
    right: String,
    same: bool,
}

fn load() -> Vec<Pair> {
    let mut lines = DATA.lines().enumerate();
    let (_, header) = lines.next().expect("empty CSV");
    assert_eq!(header.trim(), "left,right,same", "unexpected header");
    lines
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            let cols: Vec<&str> = l.split(',').collect();
            assert_eq!(cols.len(), 3, "line {}: expected 3 columns: {l}", i + 1);
            let same = match cols[2].trim() {
                "1" => true,
                "0" => false,
                other => panic!("line {}: bad label {other:?}", i + 1),
            };
            Pair {
                line: i + 1,
                left: cols[0].trim().to_string(),
                right: cols[1].trim().to_string(),
                same,
            }
        })
        .collect()
}

fn is_non_latin(s: &str) -> bool {
    s.chars()
        .any(|c| c.is_alphabetic() && !c.is_ascii() && (c as u32) >= 0x0370)
}

#[test]
fn name_pairs_recall_and_precision() {
    let pairs = load();
    assert!(
        pairs.len() >= 220,
        "need at least 220 pairs, got {}",
        pairs.len()
    );
    let non_latin = pairs
        .iter()
        .filter(|p| is_non_latin(&p.left) || is_non_latin(&p.right))
        .count();
    assert!(
        non_latin >= 20,
        "need >= 20 non-Latin pairs, got {non_latin}"
    );

    let (mut tp, mut fp, mut tn, mut fneg) = (0usize, 0usize, 0usize, 0usize);
    let mut errors = Vec::new();
    for p in &pairs {
        let score = similarity(&p.left, &p.right);
        assert!((0.0..=1.0).contains(&score), "score out of range: {score}");
        let predicted = score >= DUPLICATE_THRESHOLD;
        match (p.same, predicted) {
            (true, true) => tp += 1,
            (false, true) => {
                fp += 1;
                errors.push(("FP", p, score));
            }
            (false, false) => tn += 1,
            (true, false) => {
                fneg += 1;
                errors.push(("FN", p, score));
            }
        }
    }
    let recall = tp as f64 / (tp + fneg) as f64;
    let precision = tp as f64 / (tp + fp) as f64;

    println!(
        "pairs: {} ({} same, {} different, {} with non-Latin script)",
        pairs.len(),
        tp + fneg,
        tn + fp,
        non_latin
    );
    println!("threshold: {DUPLICATE_THRESHOLD}");
    println!("TP={tp} FP={fp} TN={tn} FN={fneg}");
    println!("recall    = {recall:.4} ({tp}/{})", tp + fneg);
    println!("precision = {precision:.4} ({tp}/{})", tp + fp);
    println!("misclassified pairs: {}", errors.len());
    for (kind, p, score) in &errors {
        println!(
            "  {kind} line {:>3}: {:?} vs {:?} score={score:.3}",
            p.line, p.left, p.right
        );
    }

    assert!(recall >= 0.95, "recall {recall:.4} < 0.95");
    assert!(precision >= 0.90, "precision {precision:.4} < 0.90");
}
