//! `splitscope analyze` and `splitscope example`.

use std::fs::{self, File};
use std::io::Write;
use std::path::Path;

use splitscope_engine::plan::Plan;
use splitscope_engine::report::{to_text, Report};
use splitscope_engine::{analyze, example, AnalysisError, Input, NoProgress, Observer};

use crate::error::CliError;
use crate::progress::TerminalProgress;
use crate::{AnalyzeArgs, Format};

/// Reads the plan file (or the default), then applies the command-line overrides.
pub fn load_plan(args: &AnalyzeArgs) -> Result<Plan, CliError> {
    let mut plan = read_plan(args.plan.as_deref())?;
    if let Some(seed) = args.seed {
        plan.bootstrap.seed = seed;
    }
    if let Some(resamples) = args.bootstrap {
        plan.bootstrap.resamples = resamples;
    }
    if args.cuped {
        plan.cuped.enabled = true;
    }
    check_plan(&plan)?;
    Ok(plan)
}

/// The plan in `path` (JSON), or the default plan; not yet checked.
pub fn read_plan(path: Option<&Path>) -> Result<Plan, CliError> {
    match path {
        Some(path) => {
            let text = fs::read_to_string(path).map_err(|e| {
                CliError::Input(format!("cannot read plan {}: {e}", path.display()))
            })?;
            Plan::from_json(&text).map_err(|e| CliError::Input(format!("{}: {e}", path.display())))
        }
        None => Ok(Plan::default()),
    }
}

/// A plan that fails its checks is bad input: exit code 2.
pub fn check_plan(plan: &Plan) -> Result<(), CliError> {
    plan.check().map_err(|e| CliError::Input(e.to_string()))
}

/// Opens an input file as an engine [`Input`] named by its file name: the report
/// then depends only on the files' contents and names, as in the browser (which
/// never sees directories), so both give the same JSON.
pub fn open(path: &Path, what: &str) -> Result<Input<File>, CliError> {
    let file = File::open(path)
        .map_err(|e| CliError::Input(format!("cannot open {what} file {}: {e}", path.display())))?;
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let input = Input::new(&name, file);
    Ok(match fs::metadata(path) {
        Ok(meta) if meta.is_file() => input.with_size(meta.len()),
        Ok(_) => {
            return Err(CliError::Input(format!(
                "{what} path {} is not a file",
                path.display()
            )))
        }
        Err(_) => input,
    })
}

/// Every analysis error is about the user's input or plan: exit code 2.
pub fn input_error(e: AnalysisError) -> CliError {
    CliError::Input(e.to_string())
}

/// Renders the report in the requested format.
pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Json => report.to_json_pretty() + "\n",
        Format::Text => {
            let mut text = to_text(report);
            if !text.ends_with('\n') {
                text.push('\n');
            }
            text
        }
        Format::Html => splitscope_charts::html_report(report),
    }
}

/// `splitscope analyze`.
pub fn run(args: &AnalyzeArgs) -> Result<(), CliError> {
    let plan = load_plan(args)?;
    let exposures = open(&args.exposures, "exposures")?;
    let events = open(&args.events, "events")?;
    let mut progress = TerminalProgress::for_stderr(args.quiet);
    let result = match progress.as_mut() {
        Some(p) => analyze(exposures, events, &plan, p as &mut dyn Observer),
        None => analyze(exposures, events, &plan, &mut NoProgress),
    };
    if let Some(p) = progress.as_mut() {
        p.finish();
    }
    let report = result.map_err(input_error)?;
    emit_report(&report, args.format, args.output.as_deref())
}

/// Renders the report and writes it to `output`, or to stdout.
pub fn emit_report(report: &Report, format: Format, output: Option<&Path>) -> Result<(), CliError> {
    write_output(render(report, format).as_bytes(), output)
}

/// Writes `bytes` to the file `output` (created or truncated), or to stdout.
pub fn write_output(bytes: &[u8], output: Option<&Path>) -> Result<(), CliError> {
    match output {
        Some(path) => {
            let what = path.display().to_string();
            File::create(path)
                .and_then(|mut f| f.write_all(bytes).and_then(|()| f.flush()))
                .map_err(|e| CliError::write(&what, e))
        }
        None => crate::error::print_bytes(bytes),
    }
}

/// `splitscope example DIR`: the course's CSVs and the default plan, spelled out.
pub fn example(dir: &Path) -> Result<(), CliError> {
    fs::create_dir_all(dir)
        .map_err(|e| CliError::Input(format!("cannot create {}: {e}", dir.display())))?;
    let files = [
        ("exposures.csv", example::EXPOSURES_CSV.to_string()),
        ("events.csv", example::EVENTS_CSV.to_string()),
        ("plan.json", Plan::default().to_json_pretty() + "\n"),
    ];
    for (name, text) in &files {
        let path = dir.join(name);
        fs::write(&path, text).map_err(|e| CliError::write(&path.display().to_string(), e))?;
    }
    let d = dir.display();
    crate::error::print_stdout(&format!(
        "wrote {d}/exposures.csv, {d}/events.csv and {d}/plan.json\n\
         next: splitscope analyze --exposures {d}/exposures.csv --events {d}/events.csv \
         --plan {d}/plan.json --format text\n"
    ))
}
