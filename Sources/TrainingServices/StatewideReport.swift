import Foundation
public import TrainingProjections

/// The statewide view's columns, one place for the console, the CSV file and the API's CSV.
public enum StatewideReport {
    /// The stages counted per agency, in the order a recruit passes them.
    public static let stages = ["hired", "academy", "academy_graduated", "field_training", "solo_patrol", "probation", "permanent", "separated"]

    /// Every agency's summary as CSV (RFC 4180), header first.
    public static func csv(_ rows: [ReadModelQueries.AgencySummary]) -> String {
        let header =
            ["agency"] + stages + [
                "completions_past_year", "completions_ever", "courses_current", "courses_required", "compliance_rate", "qualified_ftos",
                "trainees_in_field_training", "trainees_per_fto", "most_trainees_per_fto",
            ]
        let lines = rows.map { row in
            [row.agency] + stages.map { "\(row.stages[$0] ?? 0)" } + [
                "\(row.completionsPastYear)", "\(row.completionsEver)", "\(row.coursesCurrent)", "\(row.coursesRequired)",
                String(format: "%.4f", row.complianceRate), "\(row.qualifiedFTOs)", "\(row.traineesInFieldTraining)",
                String(format: "%.2f", row.traineesPerFTO), "\(row.mostTraineesPerFTO)",
            ]
        }
        return CSVWriter.text(header: header, rows: lines)
    }

}
