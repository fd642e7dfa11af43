//! Conformance: statistics (issue 13).

use crate::*;
use mamori_core::guideline::Body;
use mamori_core::stats::Day;
use time::macros::datetime;

fn rec(id: &str, year: i32) -> StatRecord {
    let mut r = StatRecord::new(id, Body::Police, Day::new(year, 3, 1).expect("valid day"));
    r.recognized = true;
    r.note = Some("自由記述".into());
    r
}

fn cell(year: i32, dim: StatDim, value: &str, count: u64) -> StatCell {
    StatCell {
        year,
        month: 3,
        dim,
        value: value.into(),
        unit: StatUnit::Recognized,
        count,
    }
}

pub(crate) async fn run(s: &dyn Store) {
    let at = datetime!(2026-04-01 09:00 UTC);
    let rows = vec![rec("s-1", 2010), rec("s-2", 2009)];
    assert_eq!(
        s.insert_stat_records(&rows, at)
            .await
            .expect("insert records"),
        2
    );
    assert_eq!(
        s.stat_records().await.expect("records"),
        rows,
        "records round-trip, in order"
    );
    let dup = s
        .insert_stat_records(&[rec("s-3", 2010), rec("s-1", 2010)], at)
        .await;
    assert!(
        matches!(dup, Err(StoreError::Conflict(_))),
        "duplicate id refused: {dup:?}"
    );
    assert_eq!(
        s.stat_records().await.expect("records").len(),
        2,
        "nothing of a refused batch"
    );
    assert_eq!(
        s.existing_stat_ids(&["s-1".into(), "s-9".into()])
            .await
            .expect("existing"),
        vec!["s-1".to_string()]
    );

    let l1 = Link::new("s-1", "s-2", LinkReason::SharedIndicator);
    assert_eq!(
        s.add_stat_links(&[(l1.clone(), LinkStatus::Proposed)])
            .await
            .expect("links"),
        1
    );
    assert_eq!(
        s.add_stat_links(&[(l1.clone(), LinkStatus::Proposed)])
            .await
            .expect("links"),
        0
    );
    let proposed = s
        .stat_links(Some(LinkStatus::Proposed))
        .await
        .expect("links");
    assert_eq!(proposed.len(), 1);
    assert_eq!(proposed[0].link, l1);
    assert!(
        s.decide_stat_link(
            "s-1",
            "s-2",
            &[LinkStatus::Proposed],
            LinkStatus::Confirmed,
            Some(UserId(1)),
            at
        )
        .await
        .expect("decide")
    );
    assert!(
        !s.decide_stat_link(
            "s-1",
            "s-2",
            &[LinkStatus::Proposed],
            LinkStatus::Rejected,
            None,
            at
        )
        .await
        .expect("decide"),
        "a decided link is not decided again from the wrong state"
    );
    let all = s.stat_links(None).await.expect("links");
    assert_eq!(all[0].status, LinkStatus::Confirmed);
    assert_eq!(all[0].decided_by, Some(UserId(1)));
    assert_eq!(all[0].decided_at, Some(at));
    // A second add of the same pair keeps the decision.
    s.add_stat_links(&[(l1, LinkStatus::Proposed)])
        .await
        .expect("links");
    assert_eq!(
        s.stat_links(None).await.expect("links")[0].status,
        LinkStatus::Confirmed
    );

    let cells = vec![
        cell(2008, StatDim::Total, "", 5),
        cell(2008, StatDim::Method, "phishing_site", 4),
        cell(2009, StatDim::Total, "", 6),
        cell(2010, StatDim::Total, "", 7),
        cell(2010, StatDim::Method, "phishing_site", 3),
    ];
    s.replace_stat_cells(&cells).await.expect("cells");
    let mut got = s.stat_cells_for_report(2010).await.expect("cells");
    got.sort();
    assert_eq!(
        got,
        vec![
            cells[0].clone(),
            cells[2].clone(),
            cells[3].clone(),
            cells[4].clone()
        ],
        "this year and the one before, and every year's totals"
    );
    s.replace_stat_cells(&cells[..1]).await.expect("cells");
    assert_eq!(
        s.stat_cells_of_dim(StatDim::Total).await.expect("cells"),
        cells[..1].to_vec(),
        "replaced"
    );

    let ext = ExternalCount {
        source: "JPCERT/CC".into(),
        unit: "報告件数".into(),
        category: "フィッシングサイト".into(),
        year: 2010,
        quarter: Some(2),
        count: 1234,
    };
    s.insert_external_counts(std::slice::from_ref(&ext), at)
        .await
        .expect("external");
    assert_eq!(
        s.external_counts(&[2010]).await.expect("external"),
        vec![ext.clone()]
    );
    assert!(
        s.external_counts(&[2011])
            .await
            .expect("external")
            .is_empty()
    );

    // Publications: frozen inputs, revisions per year, the latest one served.
    assert!(s.stat_publications().await.expect("list").is_empty());
    assert_eq!(s.latest_stat_publication(2010).await.expect("latest"), None);
    let first = NewPublication {
        year: 2010,
        k: 3,
        cells: cells.clone(),
        external: vec![ext.clone()],
        by: UserId(7),
        at,
    };
    let id1 = s.insert_stat_publication(&first).await.expect("publish");
    let second = NewPublication {
        k: 5,
        cells: cells[..2].to_vec(),
        external: Vec::new(),
        at: datetime!(2026-04-02 09:00 UTC),
        ..first.clone()
    };
    let id2 = s.insert_stat_publication(&second).await.expect("republish");
    s.insert_stat_publication(&NewPublication {
        year: 2009,
        ..first.clone()
    })
    .await
    .expect("another year");
    let latest = s
        .latest_stat_publication(2010)
        .await
        .expect("latest")
        .expect("published");
    assert_eq!(latest.info.id, id2);
    assert!(id2 > id1);
    assert_eq!(latest.revision, 2, "the second publication of 2010");
    assert_eq!(latest.info.k, 5);
    assert_eq!(latest.info.at, second.at);
    assert_eq!(latest.info.by, UserId(7));
    assert_eq!(latest.cells, second.cells, "cells round-trip");
    assert!(latest.external.is_empty());
    let list = s.stat_publications().await.expect("list");
    assert_eq!(
        list.iter().map(|p| p.year).collect::<Vec<_>>(),
        vec![2009, 2010, 2010],
        "newest first"
    );
    let y2009 = s
        .latest_stat_publication(2009)
        .await
        .expect("latest")
        .expect("2009");
    assert_eq!((y2009.revision, y2009.external), (1, vec![ext]));
}
