/// A kind of CSV file a backfill folder may hold: its name, its columns, and how one of its
/// rows becomes commands. Mapping only parses: every rule is the decider's.
protocol BackfillFile: Sendable {
    static var name: String { get }
    static var columns: BackfillColumns { get }
    static func steps(_ row: BackfillRow, _ mapping: BackfillMapping) throws -> [BackfillStep]
}

/// Every kind of file, in the order their rows are taken when everything else is equal.
enum BackfillFiles {
    static let all: [any BackfillFile.Type] = [
        UsersFile.self, FTOFile.self, CoursesFile.self, HiresFile.self, AcademyFile.self, AcademyTestsFile.self, FieldTrainingFile.self,
        DORsFile.self, RebuttalsFile.self, TasksFile.self, RemedialFile.self, WeeklyReportsFile.self, PhaseReportsFile.self,
        ReleasesFile.self, ProbationFile.self, SeparationsFile.self, CorrectionsFile.self,
    ]

    static var names: [String] { all.map { $0.name } }

    static func kind(named name: String) -> (any BackfillFile.Type)? { all.first { $0.name == name } }

    static func rank(_ name: String) -> Int { names.firstIndex(of: name) ?? names.count }
}
