//! Unit tests of the table reader.

use std::collections::HashMap;
use std::io::Cursor;
use std::sync::Arc;

use arrow_array::builder::{BooleanBuilder, Int64Builder, StringBuilder};
use arrow_array::types::Int32Type;
use arrow_array::{ArrayRef, DictionaryArray, Float64Array, RecordBatchIterator, TimestampNanosecondArray};
use arrow_schema::{ArrowError, SchemaRef};
use zhengwu_core::{Calendar, Catalogue, CatalogueFile};
use zhengwu_supervision::{IngestSummary, SupervisionConfig, Supervisor};

use arrow_array::cast::AsArray;
use arrow_array::{Array, RecordBatch};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use chrono::{DateTime, NaiveDate};
use serde_json::{Map, Value};
use zhengwu_core::{CaseEvent, EventKind};

use super::*;
use crate::column::rfc3339;

const VALID: &str = include_str!("../../../core/schema/examples/valid.jsonl");

fn originals(text: &str) -> Vec<CaseEvent> {
    text.lines().filter(|l| !l.trim().is_empty()).map(|l| CaseEvent::from_json(l).unwrap()).collect()
}

/// The table arrow-json infers from JSON lines (structs, lists and strings as inferred).
fn inferred(text: &str) -> RecordBatch {
    let (schema, _) = arrow_json::reader::infer_json_schema(Cursor::new(text.as_bytes()), None).unwrap();
    let mut reader =
        arrow_json::ReaderBuilder::new(Arc::new(schema)).with_batch_size(1024).build(Cursor::new(text)).unwrap();
    reader.next().unwrap().unwrap()
}

/// A table with one column per member: strings, integers and booleans as such, everything
/// else as `arrow.json` text (the way a mixed pandas column is handed over).
fn json_typed(text: &str) -> RecordBatch {
    let rows: Vec<Map<String, Value>> =
        text.lines().filter(|l| !l.trim().is_empty()).map(|l| serde_json::from_str(l).unwrap()).collect();
    let mut names: Vec<String> = Vec::new();
    for row in &rows {
        for name in row.keys() {
            if !names.contains(name) {
                names.push(name.clone());
            }
        }
    }
    let mut fields = Vec::new();
    let mut columns: Vec<ArrayRef> = Vec::new();
    for name in &names {
        let cells: Vec<Option<&Value>> = rows.iter().map(|row| row.get(name)).collect();
        let all = |test: fn(&Value) -> bool| cells.iter().flatten().all(|v| test(v));
        if all(Value::is_string) {
            let mut builder = StringBuilder::new();
            cells.iter().for_each(|v| builder.append_option(v.and_then(Value::as_str)));
            fields.push(Field::new(name, DataType::Utf8, true));
            columns.push(Arc::new(builder.finish()));
        } else if all(Value::is_i64) {
            let mut builder = Int64Builder::new();
            cells.iter().for_each(|v| builder.append_option(v.and_then(Value::as_i64)));
            fields.push(Field::new(name, DataType::Int64, true));
            columns.push(Arc::new(builder.finish()));
        } else if all(Value::is_boolean) {
            let mut builder = BooleanBuilder::new();
            cells.iter().for_each(|v| builder.append_option(v.and_then(Value::as_bool)));
            fields.push(Field::new(name, DataType::Boolean, true));
            columns.push(Arc::new(builder.finish()));
        } else {
            let mut builder = StringBuilder::new();
            cells.iter().for_each(|v| builder.append_option(v.map(Value::to_string)));
            let metadata = HashMap::from([("ARROW:extension:name".to_owned(), "arrow.json".to_owned())]);
            fields.push(Field::new(name, DataType::Utf8, true).with_metadata(metadata));
            columns.push(Arc::new(builder.finish()));
        }
    }
    RecordBatch::try_new(Arc::new(Schema::new(fields)), columns).unwrap()
}

fn events(batch: &RecordBatch) -> Vec<Result<CaseEvent, String>> {
    let columns = EventBatch::new(batch).unwrap();
    (0..batch.num_rows()).map(|row| columns.event(row)).collect()
}

fn supervisor() -> Supervisor {
    let file = CatalogueFile::from_toml(
        r#"
[[item]]
code = "530100-SCJG-001"
name = "食品经营许可"
department = "km-scjg"
kind = "promised"
legal_limit = { days = 20 }
promised_limit = { days = 10 }
"#,
    )
    .unwrap();
    let departments = file.departments();
    Supervisor::new(Calendar::china(), Catalogue::new(file, &departments).unwrap(), SupervisionConfig::default())
}

fn reader(batches: Vec<RecordBatch>) -> RecordBatchIterator<std::vec::IntoIter<Result<RecordBatch, ArrowError>>> {
    let schema: SchemaRef = batches[0].schema();
    RecordBatchIterator::new(batches.into_iter().map(Ok).collect::<Vec<_>>().into_iter(), schema)
}

#[test]
fn every_event_kind_reads_the_same_as_its_json_line() {
    let expected = originals(VALID);
    assert_eq!(expected.iter().map(|e| e.kind.type_name()).collect::<std::collections::BTreeSet<_>>().len(), 33);
    let read: Vec<CaseEvent> = events(&json_typed(VALID)).into_iter().map(Result::unwrap).collect();
    assert_eq!(read, expected);
}

#[test]
fn inferred_structs_and_lists_read_the_same_as_json() {
    // `to` is text in some kinds and a list in `copy_sent`: no single Arrow type holds
    // both, so that line is left out of the inferred table.
    let text: String = VALID.lines().filter(|l| !l.contains("copy_sent")).map(|l| format!("{l}\n")).collect();
    let batch = inferred(&text);
    assert!(matches!(batch.schema().field_with_name("actor").unwrap().data_type(), DataType::Struct(_)));
    assert!(matches!(batch.schema().field_with_name("materials").unwrap().data_type(), DataType::List(_)));
    assert!(matches!(batch.schema().field_with_name("data").unwrap().data_type(), DataType::Struct(_)));
    let read: Vec<CaseEvent> = events(&batch).into_iter().map(Result::unwrap).collect();
    assert_eq!(read, originals(&text));
}

#[test]
fn date_columns_read_as_days() {
    // pyarrow's JSON reader makes `"2025-04-21"` a date32; date64 counts milliseconds.
    let text: String = VALID.lines().filter(|l| l.contains("hearing_noticed")).map(|l| format!("{l}\n")).collect();
    let batch = inferred(&text);
    let days =
        i32::try_from((NaiveDate::from_ymd_opt(2025, 4, 21).unwrap() - NaiveDate::default()).num_days()).unwrap();
    for (field, column) in [
        (
            Field::new("hearing_on", DataType::Date32, true),
            Arc::new(arrow_array::Date32Array::from(vec![days])) as ArrayRef,
        ),
        (
            Field::new("hearing_on", DataType::Date64, true),
            Arc::new(arrow_array::Date64Array::from(vec![i64::from(days) * 86_400_000])) as ArrayRef,
        ),
        // pyarrow.json's reading: a zone-less timestamp at midnight.
        (
            Field::new("hearing_on", DataType::Timestamp(TimeUnit::Second, None), true),
            Arc::new(arrow_array::TimestampSecondArray::from(vec![i64::from(days) * 86_400])) as ArrayRef,
        ),
    ] {
        let read: Vec<CaseEvent> =
            events(&replace(&batch, "hearing_on", field, column)).into_iter().map(Result::unwrap).collect();
        assert_eq!(read, originals(&text));
    }
}

fn two_events() -> RecordBatch {
    let text = VALID.lines().take(2).map(|l| format!("{l}\n")).collect::<String>();
    inferred(&text)
}

fn replace(batch: &RecordBatch, name: &str, field: Field, column: ArrayRef) -> RecordBatch {
    let index = batch.schema().index_of(name).unwrap();
    let mut fields: Vec<Field> = batch.schema().fields().iter().map(|f| f.as_ref().clone()).collect();
    let mut columns = batch.columns().to_vec();
    fields[index] = field;
    columns[index] = column;
    RecordBatch::try_new(Arc::new(Schema::new(fields)), columns).unwrap()
}

#[test]
fn pandas_shapes_are_read_numbers_for_codes_floats_with_gaps_categoricals_and_zoned_timestamps() {
    let batch = two_events();
    let expected = originals(&VALID.lines().take(2).collect::<Vec<_>>().join("\n"));
    // A region code pandas read as a number, a sequence with gaps (floats).
    let batch = replace(
        &batch,
        "region",
        Field::new("region", DataType::Int64, true),
        Arc::new(arrow_array::Int64Array::from(vec![530102, 530102])),
    );
    let batch = replace(
        &batch,
        "sequence",
        Field::new("sequence", DataType::Float64, true),
        Arc::new(Float64Array::from(vec![1.0, 2.0])),
    );
    // A categorical department.
    let department: DictionaryArray<Int32Type> = vec!["km-scjg", "km-scjg"].into_iter().collect();
    let batch = replace(
        &batch,
        "department",
        Field::new("department", department.data_type().clone(), true),
        Arc::new(department),
    );
    // A tz-aware pandas column: nanoseconds with the zone's name.
    let instants: Vec<i64> = expected.iter().map(|e| e.occurred_at.timestamp_nanos_opt().unwrap()).collect();
    let zoned = TimestampNanosecondArray::from(instants.clone()).with_timezone("Asia/Shanghai");
    let batch =
        replace(&batch, "occurred_at", Field::new("occurred_at", zoned.data_type().clone(), true), Arc::new(zoned));
    let read: Vec<CaseEvent> = events(&batch).into_iter().map(Result::unwrap).collect();
    assert_eq!(read, expected);
    assert_eq!(read[0].occurred_at.to_rfc3339(), "2025-03-03T09:12:00+08:00");

    // The same instants without a zone name no instant: the table is refused, saying what to
    // give; read as UTC instants (what pyarrow.json writes) they are the events again.
    let naive = TimestampNanosecondArray::from(instants.clone());
    let utc =
        replace(&batch, "occurred_at", Field::new("occurred_at", naive.data_type().clone(), true), Arc::new(naive));
    let error = EventBatch::new(&utc).unwrap_err().to_string();
    assert!(error.starts_with("column `occurred_at`: a timestamp without a time zone names no instant"), "{error}");
    assert!(error.contains("`--naive-timestamps utc`") && error.contains("Asia/Shanghai"), "{error}");
    let read_as = |batch: &RecordBatch, naive: &str| -> Vec<CaseEvent> {
        let columns = EventBatch::with_options(batch, naive.parse().unwrap()).unwrap();
        (0..batch.num_rows()).map(|row| columns.event(row).unwrap()).collect()
    };
    let read = read_as(&utc, "utc");
    assert_eq!(read[0].occurred_at.to_rfc3339(), "2025-03-03T01:12:00+00:00");
    assert_eq!(read, expected, "the same instants, shown in UTC");
    // Beijing wall-clock times (pandas' naive datetimes): eight hours ahead of the UTC values.
    let eight_hours = 8 * 3_600 * 1_000_000_000_i64;
    let wall = TimestampNanosecondArray::from(instants.iter().map(|t| t + eight_hours).collect::<Vec<_>>());
    let wall =
        replace(&batch, "occurred_at", Field::new("occurred_at", wall.data_type().clone(), true), Arc::new(wall));
    let read = read_as(&wall, "Asia/Shanghai");
    assert_eq!(read[0].occurred_at.to_rfc3339(), "2025-03-03T09:12:00+08:00");
    assert_eq!(read, expected);
    assert_eq!(read_as(&wall, "+08:00"), expected);
    // Read as UTC instead, they are eight hours late: the option matters.
    assert_ne!(read_as(&wall, "utc")[0].occurred_at, expected[0].occurred_at);
    let error = "Mars/Olympus".parse::<NaiveTimestamps>().unwrap_err().to_string();
    assert!(error.starts_with("`Mars/Olympus` says neither how to read zone-less timestamps"), "{error}");
    // A fractional sequence is not a sequence.
    let batch = replace(
        &two_events(),
        "sequence",
        Field::new("sequence", DataType::Float64, true),
        Arc::new(Float64Array::from(vec![1.5, 2.0])),
    );
    assert_eq!(events(&batch).remove(0).unwrap_err(), "`sequence`: 1.5 is not a whole number");
}

#[test]
fn booleans_and_codes_pandas_made_numbers_read_as_the_vocabulary_has_them() {
    let batch = json_typed(VALID);
    let expected = originals(VALID);
    // A boolean column with gaps becomes 1.0 / NaN in pandas.
    let delegated = batch.column_by_name("delegated").unwrap().as_boolean().clone();
    let floats: Float64Array = delegated.iter().map(|v| v.map(|b| if b { 1.0 } else { 0.0 })).collect();
    let batch = replace(&batch, "delegated", Field::new("delegated", DataType::Float64, true), Arc::new(floats));
    let read: Vec<CaseEvent> = events(&batch).into_iter().map(Result::unwrap).collect();
    assert_eq!(read, expected);
    // A numeric step code is text: `3` is the step `"3"`.
    let steps = batch.column_by_name("step").unwrap().as_string::<i32>().clone();
    let numbered: arrow_array::Int64Array = steps.iter().map(|v| v.map(|_| 3)).collect();
    let batch = replace(&batch, "step", Field::new("step", DataType::Int64, true), Arc::new(numbered));
    let read = events(&batch);
    let reassigned = expected.iter().position(|e| e.kind.type_name() == "task_reassigned").unwrap();
    assert!(
        matches!(&read[reassigned], Ok(CaseEvent { kind: EventKind::TaskReassigned { step, .. }, .. }) if step == "3")
    );
    // 2 is no boolean.
    let two: Float64Array = delegated.iter().map(|v| v.map(|_| 2.0)).collect();
    let batch =
        replace(&json_typed(VALID), "delegated", Field::new("delegated", DataType::Float64, true), Arc::new(two));
    assert_eq!(events(&batch)[reassigned].clone().unwrap_err(), "`delegated`: 2 is not a boolean");
}

#[test]
fn rfc3339_fast_path_agrees_with_chrono() {
    for text in [
        "2025-03-03T09:12:00+08:00",
        "2025-12-31T23:59:59-05:30",
        "2024-02-29T00:00:00+00:00",
        "2025-02-29T00:00:00+08:00",
        "2025-03-03T24:00:00+08:00",
        "2025-03-03T09:12:60+08:00",
        "2025-03-03T09:12:00+24:00",
        "2025-03-03T09:12:00.5+08:00",
        "2025-03-03T09:12:00Z",
        "2025-03-03 09:12:00+08:00",
        "2025-03-03t09:12:00+08:00",
        "2025-0a-03T09:12:00+08:00",
        "",
    ] {
        assert_eq!(rfc3339(text).ok(), DateTime::parse_from_rfc3339(text).ok(), "{text}");
    }
}

#[test]
fn a_missing_or_mistyped_column_is_an_error_naming_it_and_nothing_is_ingested() {
    let batch = two_events();
    let index = batch.schema().index_of("case_id").unwrap();
    let mut without = batch.clone();
    without.remove_column(index);
    let mut supervisor = supervisor();
    let error = ingest(&mut supervisor, reader(vec![without]), 0, NaiveTimestamps::Refuse).unwrap_err().to_string();
    assert!(
        error.starts_with("the table has no column `case_id` (columns: `actor`, `channel`, `department`"),
        "{error}"
    );
    let mistyped = replace(
        &batch,
        "case_id",
        Field::new("case_id", DataType::Binary, true),
        Arc::new(arrow_array::BinaryArray::from(vec![b"C1".as_ref(), b"C2".as_ref()])),
    );
    let error = ingest(&mut supervisor, reader(vec![mistyped]), 0, NaiveTimestamps::Refuse).unwrap_err().to_string();
    assert_eq!(error, "column `case_id` has the Arrow type Binary, which the member cannot take");
    assert_eq!(supervisor.ingest_summary(), IngestSummary::default());
}

#[test]
fn bad_rows_are_rejected_with_their_row_across_batches_and_the_rest_ingested() {
    let batch = two_events();
    let mut kinds = StringBuilder::new();
    kinds.append_value("received");
    kinds.append_value("approved_by_phone");
    let bad = replace(&batch, "type", Field::new("type", DataType::Utf8, true), Arc::new(kinds.finish()));
    let mut supervisor = supervisor();
    // Rows 1–2 came in an earlier call; this stream's rows are 3–6.
    let IngestReport { summary, rows } =
        ingest(&mut supervisor, reader(vec![batch.clone(), bad]), 2, NaiveTimestamps::Refuse).unwrap();
    assert_eq!(rows, 4);
    assert_eq!((summary.applied, summary.duplicates, summary.rejected), (2, 1, 1));
    let rejection = &supervisor.rejections()[0];
    assert_eq!(rejection.line, Some(6));
    assert!(rejection.reason.starts_with("unknown variant `approved_by_phone`"), "{}", rejection.reason);
    assert_eq!(supervisor.latest_occurred_at().unwrap().to_rfc3339(), "2025-03-03T09:40:00+08:00");
}

#[test]
fn a_stream_failing_part_way_keeps_the_rows_before_on_one_thread_or_two() {
    for threads in [crate::Threads::One, crate::Threads::Two] {
        let batch = two_events();
        let schema = batch.schema();
        let failing = RecordBatchIterator::new(
            vec![Ok(batch.clone()), Err(ArrowError::ParquetError("page 7 is damaged".into())), Ok(batch)],
            schema,
        );
        let mut supervisor = supervisor();
        let error = crate::ingest::ingest_on(&mut supervisor, failing, 0, NaiveTimestamps::Refuse, threads)
            .unwrap_err()
            .to_string();
        assert_eq!(error, "reading the Arrow stream failed: Parquet argument error: page 7 is damaged", "{threads:?}");
        assert_eq!(
            supervisor.ingest_summary(),
            IngestSummary { applied: 2, duplicates: 0, rejected: 0 },
            "{threads:?}"
        );
    }
}
