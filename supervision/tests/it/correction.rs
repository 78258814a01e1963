//! The correction process (纠错) of an alert.

use chrono::NaiveDate;
use zhengwu_supervision::{AccountabilityForm, AlertStatus, CorrectionAction, Error, Level};

use crate::{CaseLog, at, supervisor};

fn yellow_card() -> (zhengwu_supervision::Supervisor, String) {
    let mut supervisor = supervisor();
    supervisor.ingest_all(CaseLog::opened("C1", "SC-001", "2025-03-03").events);
    let id = supervisor.evaluate(at("2025-03-18T09:00:00+08:00")).raised.remove(0);
    assert_eq!(supervisor.alert(&id).unwrap().level, Level::Yellow);
    (supervisor, id)
}

#[test]
fn a_yellow_card_runs_to_red_when_its_supervision_deadline_passes() {
    let (mut supervisor, id) = yellow_card();
    let clerk = || "jc01".into();
    let status = supervisor
        .correct(
            &id,
            CorrectionAction::Notify { recipients: vec!["h01".into()] },
            at("2025-03-18T10:00:00+08:00"),
            clerk(),
        )
        .unwrap();
    assert_eq!(status, AlertStatus::Notified);
    // The explanation is due 3 working days later.
    assert_eq!(supervisor.alert(&id).unwrap().deadline, Some(NaiveDate::from_ymd_opt(2025, 3, 21).unwrap()));
    supervisor
        .correct(&id, CorrectionAction::Explain { text: "现场核查排期延误".into() }, at("2025-03-19"), "h01".into())
        .unwrap();
    supervisor
        .correct(&id, CorrectionAction::Review { valid: true, reason: "理由不成立".into() }, at("2025-03-20"), clerk())
        .unwrap();
    let deadline = NaiveDate::from_ymd_opt(2025, 3, 25).unwrap();
    supervisor
        .correct(&id, CorrectionAction::Supervise { deadline }, at("2025-03-20T11:00:00+08:00"), clerk())
        .unwrap();
    // On the deadline nothing happens; the day after, the yellow card becomes red.
    assert!(supervisor.evaluate(at("2025-03-25T18:00:00+08:00")).escalated.is_empty());
    let evaluation = supervisor.evaluate(at("2025-03-26T09:00:00+08:00"));
    assert_eq!(evaluation.escalated, std::slice::from_ref(&id));
    let alert = supervisor.alert(&id).unwrap();
    assert_eq!((alert.level, alert.raised_level, alert.status), (Level::Red, Level::Yellow, AlertStatus::Escalated));
    assert_eq!(alert.history.len(), 5);
    assert_eq!(alert.history[4].actor.as_str(), "system");
    // It escalates once.
    assert!(supervisor.evaluate(at("2025-03-27")).escalated.is_empty());
    supervisor
        .correct(
            &id,
            CorrectionAction::HoldAccountable { form: AccountabilityForm::Admonition },
            at("2025-03-28"),
            clerk(),
        )
        .unwrap();
    assert_eq!(
        supervisor.correct(&id, CorrectionAction::Close, at("2025-03-28"), clerk()).unwrap(),
        AlertStatus::Closed
    );
}

#[test]
fn a_dismissed_alert_closes_and_bad_transitions_are_errors() {
    let (mut supervisor, id) = yellow_card();
    let clerk = || "jc01".into();
    assert_eq!(
        supervisor.correct(&id, CorrectionAction::Close, at("2025-03-18T10:00:00+08:00"), clerk()).unwrap_err(),
        Error::Correction { alert: id.clone(), reason: "cannot `close` an alert that is 已触发 (Raised)".into() }
    );
    assert!(matches!(
        supervisor.correct(
            &id,
            CorrectionAction::Review { valid: false, reason: " ".into() },
            at("2025-03-19"),
            clerk()
        ),
        Err(Error::Correction { .. })
    ));
    supervisor
        .correct(
            &id,
            CorrectionAction::Review { valid: false, reason: "特殊环节未录入".into() },
            at("2025-03-19"),
            clerk(),
        )
        .unwrap();
    // Transitions cannot go back in time.
    assert!(supervisor.correct(&id, CorrectionAction::Close, at("2025-03-18T12:00:00+08:00"), clerk()).is_err());
    assert_eq!(
        supervisor.correct(&id, CorrectionAction::Close, at("2025-03-20"), clerk()).unwrap(),
        AlertStatus::Closed
    );
    assert!(supervisor.correct("nope", CorrectionAction::Close, at("2025-03-20"), clerk()).is_err());
}

#[test]
fn a_restored_alert_keeps_its_steps_and_is_not_raised_again() {
    let (mut supervisor, id) = yellow_card();
    supervisor
        .correct(&id, CorrectionAction::Notify { recipients: vec![] }, at("2025-03-18T10:00:00+08:00"), "jc01".into())
        .unwrap();
    // What a host stores, read back by a supervisor rebuilt from the same events.
    let kept = serde_json::to_string(supervisor.alert(&id).unwrap()).unwrap();
    let mut rebuilt = crate::supervisor();
    rebuilt.ingest_all(CaseLog::opened("C1", "SC-001", "2025-03-03").events);
    rebuilt.restore_alert(serde_json::from_str(&kept).unwrap());
    let evaluation = rebuilt.evaluate(at("2025-03-18T11:00:00+08:00"));
    assert!(!evaluation.raised.contains(&id), "{:?}", evaluation.raised);
    let alert = rebuilt.alert(&id).unwrap();
    assert_eq!((alert.status, alert.history.len()), (AlertStatus::Notified, 1));
    assert_eq!(alert.raised_at, supervisor.alert(&id).unwrap().raised_at);
    // And the process goes on from where it stood.
    let next =
        rebuilt.correct(&id, CorrectionAction::Explain { text: "已说明".into() }, at("2025-03-19"), "h01".into());
    assert_eq!(next.unwrap(), AlertStatus::Explained);
}
