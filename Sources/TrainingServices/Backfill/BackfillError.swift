/// Why a backfill cannot be imported, on one line: where (file, line, field, as far as known),
/// what is wrong and what to do. Nothing is written when an import fails.
public struct BackfillError: Error, Sendable, CustomStringConvertible {
    /// The CSV file, e.g. `hires.csv` (nil for the folder as a whole).
    public var file: String?
    /// The line the row starts on (1 is the header; nil for a whole file).
    public var line: Int?
    /// The column, when one is to blame.
    public var field: String?
    public var message: String

    public init(file: String? = nil, line: Int? = nil, field: String? = nil, _ message: String) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }

    /// `hires.csv line 14, field hire_date: 2031-02-30 is not a date (YYYY-MM-DD); fix the row and run the import again`
    public var description: String {
        guard let file else { return message }
        var place = file
        if let line { place += " line \(line)" }
        if let field { place += ", field \(field)" }
        let fix = line == nil || line == 1 ? "fix the file" : "fix the row"
        return "\(place): \(message); \(fix) and run the import again"
    }
}
