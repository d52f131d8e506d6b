public import Foundation
public import TrainingDomain

/// A backfill folder read into one timeline of commands: every file parsed and checked, every
/// `ref` resolved, every row mapped to its steps, all of them ordered (see
/// ``BackfillStep/precedes(_:_:)``). Nothing here reads the log or judges a rule.
public struct BackfillPlan: Sendable {
    /// The steps in timeline order.
    public let steps: [BackfillStep]
    /// Rows per file, for files the folder holds (in the order files are taken).
    public let rowsPerFile: [(file: String, rows: Int)]

    public var rows: Int { rowsPerFile.reduce(0) { $0 + $1.rows } }

    /// The names of the files a backfill folder may hold.
    public static var fileNames: [String] { BackfillFiles.names }

    /// The columns `file` takes (nil for a name that is not a backfill file).
    public static func columns(of file: String) -> BackfillColumns? { BackfillFiles.kind(named: file)?.columns }

    /// Reads every backfill file in `folder` (other files are left alone).
    public static func read(folder: URL, agency: AgencyID) throws -> BackfillPlan {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw BackfillError("\(folder.path) is not a folder; give the folder that holds the backfill's CSV files")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.lowercased().hasSuffix(".csv") }.sorted()
        if let unknown = names.first(where: { BackfillFiles.kind(named: $0) == nil }) {
            throw BackfillError(
                file: unknown, "is not a backfill file; the files are \(fileNames.joined(separator: ", ")) (names in lower case)")
        }
        guard !names.isEmpty else {
            throw BackfillError("\(folder.path) holds no backfill files; the files are \(fileNames.joined(separator: ", "))")
        }
        var files: [(String, Data)] = []
        for name in names {
            guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) else {
                throw BackfillError(file: name, "cannot be read; check its permissions")
            }
            files.append((name, data))
        }
        return try make(files, agency: agency)
    }

    /// Plans the import of `files` (name and contents).
    public static func make(_ files: [(name: String, data: Data)], agency: AgencyID) throws -> BackfillPlan {
        var tables: [(kind: any BackfillFile.Type, table: BackfillTable)] = []
        for kind in BackfillFiles.all {
            guard let file = files.first(where: { $0.name == kind.name }) else { continue }
            tables.append((kind, try BackfillTable.read(file.data, name: kind.name, kind: kind)))
        }
        let mapping = BackfillMapping(agency: agency, refs: try refs(in: tables.map(\.table), agency: agency))
        var steps: [BackfillStep] = []
        for (kind, table) in tables {
            for row in table.rows { steps += try kind.steps(row, mapping) }
        }
        return BackfillPlan(steps: steps.sorted(by: BackfillStep.precedes), rowsPerFile: tables.map { ($0.table.name, $0.table.rows.count) })
    }

    /// Each `ref` label and the entry its row records first.
    static func refs(in tables: [BackfillTable], agency: AgencyID) throws -> [String: EntryID] {
        let naming = BackfillMapping(agency: agency, refs: [:])
        var refs: [String: (entry: EntryID, row: BackfillRow)] = [:]
        for table in tables {
            for row in table.rows {
                guard let label = row.text("ref") else { continue }
                if UUID(uuidString: label) != nil { throw row.error("ref", "a label must not look like an entry id; use a name such as DOR-14") }
                if let earlier = refs[label] {
                    throw row.error("ref", "\(label.prefix(40)) is already the ref of \(earlier.row.file) line \(earlier.row.line)")
                }
                refs[label] = (naming.firstEntry(of: row), row)
            }
        }
        return refs.mapValues(\.entry)
    }
}
