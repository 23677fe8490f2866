//! Classification metrics of probabilities against 0/1 labels: accuracy,
//! precision, recall, F1, ROC AUC, log loss, the confusion matrix, the base
//! rate, and a calibration table. Undefined ratios are `None`.

use serde::Serialize;

/// A prediction counts as "true" when its probability is above this.
pub const THRESHOLD: f64 = 0.5;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Classification {
    /// Rows scored (a prediction and a known label).
    pub rows: usize,
    /// Share of true labels.
    pub base_rate: f64,
    pub accuracy: f64,
    pub precision: Option<f64>,
    pub recall: Option<f64>,
    pub f1: Option<f64>,
    /// Area under the ROC curve (ties count half); None with one class.
    pub roc_auc: Option<f64>,
    /// Mean negative log-likelihood, probabilities clipped to [ε, 1 − ε]
    /// with ε = f64::EPSILON (as scikit-learn does for float64).
    pub log_loss: f64,
    pub true_positives: usize,
    pub false_positives: usize,
    pub true_negatives: usize,
    pub false_negatives: usize,
}

fn ratio(a: usize, b: usize) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

/// Scores `prob` against `label` (both per row). None without rows.
pub fn classify(prob: &[f64], label: &[bool]) -> Option<Classification> {
    let n = prob.len();
    if n == 0 || n != label.len() {
        return None;
    }
    let (mut tp, mut fp, mut tn, mut fnn) = (0, 0, 0, 0);
    let mut loss = 0.0;
    for (&p, &y) in prob.iter().zip(label) {
        match (p > THRESHOLD, y) {
            (true, true) => tp += 1,
            (true, false) => fp += 1,
            (false, false) => tn += 1,
            (false, true) => fnn += 1,
        }
        let q = p.clamp(f64::EPSILON, 1.0 - f64::EPSILON);
        loss -= if y { q.ln() } else { (1.0 - q).ln() };
    }
    let precision = ratio(tp, tp + fp);
    let recall = ratio(tp, tp + fnn);
    let f1 = match (precision, recall) {
        (Some(p), Some(r)) if p + r > 0.0 => Some(2.0 * p * r / (p + r)),
        (Some(_), Some(_)) => Some(0.0),
        _ => None,
    };
    Some(Classification {
        rows: n,
        base_rate: (tp + fnn) as f64 / n as f64,
        accuracy: (tp + tn) as f64 / n as f64,
        precision,
        recall,
        f1,
        roc_auc: roc_auc(prob, label),
        log_loss: loss / n as f64,
        true_positives: tp,
        false_positives: fp,
        true_negatives: tn,
        false_negatives: fnn,
    })
}

/// ROC AUC by the rank-sum (Mann–Whitney) formula with average ranks for
/// ties: the probability that a random true row scores above a random false
/// one, ties counting half.
pub fn roc_auc(prob: &[f64], label: &[bool]) -> Option<f64> {
    let pos = label.iter().filter(|&&y| y).count();
    let neg = label.len() - pos;
    if pos == 0 || neg == 0 {
        return None;
    }
    let mut order: Vec<usize> = (0..prob.len()).collect();
    order.sort_by(|&a, &b| prob[a].total_cmp(&prob[b]));
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && prob[order[j + 1]] == prob[order[i]] {
            j += 1;
        }
        // Ranks i+1 ..= j+1 share their average.
        let avg = (i + j + 2) as f64 / 2.0;
        rank_sum += avg * order[i..=j].iter().filter(|&&k| label[k]).count() as f64;
        i = j + 1;
    }
    let (p, q) = (pos as f64, neg as f64);
    Some((rank_sum - p * (p + 1.0) / 2.0) / (p * q))
}

/// One calibration bin: predictions in [lo, hi).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bin {
    pub lo: f64,
    pub hi: f64,
    pub rows: usize,
    pub mean_prediction: Option<f64>,
    pub observed_rate: Option<f64>,
}

/// Ten equal-width bins of the predicted probability (the last includes 1).
pub fn calibration(prob: &[f64], label: &[bool]) -> Vec<Bin> {
    let mut sums = [(0usize, 0.0f64, 0usize); 10];
    for (&p, &y) in prob.iter().zip(label) {
        let b = ((p * 10.0).floor() as usize).min(9);
        sums[b].0 += 1;
        sums[b].1 += p;
        sums[b].2 += usize::from(y);
    }
    sums.iter()
        .enumerate()
        .map(|(b, &(n, s, t))| Bin {
            lo: b as f64 / 10.0,
            hi: (b + 1) as f64 / 10.0,
            rows: n,
            mean_prediction: (n > 0).then(|| s / n as f64),
            observed_rate: ratio(t, n),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-12, "{a} != {b}");
    }

    /// Worked by hand. Probabilities 0.9 0.8 0.6 0.4 0.3 0.2 against labels
    /// T T F T F F. Predicted true (> 0.5): the first three.
    /// TP 2 (0.9, 0.8), FP 1 (0.6), FN 1 (0.4), TN 2 (0.3, 0.2).
    #[test]
    fn a_small_case_by_hand() {
        let p = [0.9, 0.8, 0.6, 0.4, 0.3, 0.2];
        let y = [true, true, false, true, false, false];
        let c = classify(&p, &y).unwrap();
        assert_eq!(
            (
                c.true_positives,
                c.false_positives,
                c.false_negatives,
                c.true_negatives
            ),
            (2, 1, 1, 2)
        );
        close(c.accuracy, 4.0 / 6.0);
        close(c.precision.unwrap(), 2.0 / 3.0);
        close(c.recall.unwrap(), 2.0 / 3.0);
        close(c.f1.unwrap(), 2.0 / 3.0);
        close(c.base_rate, 0.5);
        // Pairs (true, false) = 3 × 3 = 9; the true 0.4 loses to the false
        // 0.6 only: AUC = 8/9 (scikit-learn's roc_auc_score: 0.888…).
        close(c.roc_auc.unwrap(), 8.0 / 9.0);
        // −mean(ln .9 + ln .8 + ln .4 + ln .4 + ln .7 + ln .8)
        // = 2.74090402597 / 6; scikit-learn 1.x log_loss: 0.45681733766221466.
        let by_hand =
            -(0.9f64.ln() + 0.8f64.ln() + 0.4f64.ln() + 0.4f64.ln() + 0.7f64.ln() + 0.8f64.ln())
                / 6.0;
        close(c.log_loss, by_hand);
        close(c.log_loss, 0.456_817_337_662_214_66);
    }

    #[test]
    fn ties_count_half_and_one_class_has_no_auc() {
        // One true and one false row with the same score: AUC 0.5.
        close(roc_auc(&[0.5, 0.5], &[true, false]).unwrap(), 0.5);
        // 0.7 (T) beats 0.3 (F) and ties 0.7 (F): (1 + 0.5) / 2.
        close(
            roc_auc(&[0.7, 0.7, 0.3], &[true, false, false]).unwrap(),
            0.75,
        );
        assert_eq!(roc_auc(&[0.1, 0.9], &[true, true]), None);
        // Nothing predicted true: precision undefined, recall 0.
        let c = classify(&[0.1, 0.2], &[true, false]).unwrap();
        assert_eq!((c.precision, c.recall, c.f1), (None, Some(0.0), None));
        // A certain wrong answer is clipped, not infinite: −ln ε ≈ 36.04.
        let c = classify(&[0.0], &[true]).unwrap();
        close(c.log_loss, -f64::EPSILON.ln());
        // scikit-learn: log_loss([1, 0], [0.0, 0.5]) = 18.36840028483855.
        let c = classify(&[0.0, 0.5], &[true, false]).unwrap();
        close(c.log_loss, 18.368_400_284_838_55);
    }

    #[test]
    fn calibration_bins() {
        let bins = calibration(&[0.05, 0.15, 0.12, 1.0], &[false, true, false, true]);
        assert_eq!(bins.len(), 10);
        assert_eq!(bins[1].rows, 2);
        close(bins[1].mean_prediction.unwrap(), 0.135);
        close(bins[1].observed_rate.unwrap(), 0.5);
        assert_eq!(bins[9].rows, 1);
        assert_eq!(bins[5].observed_rate, None);
    }
}
