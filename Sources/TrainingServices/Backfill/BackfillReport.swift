import EventLog
import Foundation
import TrainingDomain
import TrainingRecords

/// What an import recorded, or (a dry run) would record: per file and per kind of entry, whose
/// records it touches, and every plausibility check a row overrode.
public struct BackfillReport: Sendable, Codable {
    public struct FileCount: Sendable, Codable {
        public var file: String
        public var rows: Int
        /// New entries from the file's rows.
        public var entries: Int
    }

    public struct TypeCount: Sendable, Codable {
        public var type: String
        public var entries: Int
    }

    public struct Override: Sendable, Codable {
        public var file: String
        public var line: Int
        public var check: String
        public var reason: String
    }

    /// True when nothing was (or will be) written: a dry run.
    public var dryRun: Bool
    public var rows: Int
    /// New entries, all recorded in one transaction (or, in a dry run, that would be).
    public var entries: Int
    /// Entries found on record already from an earlier run of the same rows (the import was
    /// run again): not recorded twice.
    public var alreadyRecorded: Int
    public var files: [FileCount]
    public var entryTypes: [TypeCount]
    /// Records that get new entries: `trainee r-01`, `officer fto.ramos`.
    public var people: [String]
    /// Users registered.
    public var users: [String]
    public var overrides: [Override]
}

/// Counts what each decided step recorded, as the import goes.
struct BackfillTally {
    private var entriesPerFile: [String: Int] = [:]
    private var types: [String: Int] = [:]
    private var people = Set<String>()
    private var users: [String] = []
    private var overrides: [BackfillReport.Override] = []
    private var entries = 0
    private var alreadyRecorded = 0

    /// `events` is what `step` returned; `isNew` says whether they were staged now (else they
    /// were on record from an earlier run of the same import).
    mutating func add(_ step: BackfillStep, _ events: [RecordedEvent], isNew: Bool) {
        guard isNew else {
            alreadyRecorded += events.count
            return
        }
        entries += events.count
        entriesPerFile[step.file, default: 0] += events.count
        for event in events {
            types[event.type, default: 0] += 1
            if case .plausibilityOverridden(let override) = EntryMapping.entry(event).event {
                overrides.append(.init(file: step.file, line: step.line, check: override.check.rawValue, reason: override.reason))
            }
        }
        switch step.action {
        case .register(let user, _, _): users.append(user.rawValue)
        case .record(_, let reference), .correct(let reference, _, _, _, _): people.insert(reference.description)
        }
    }

    func report(_ plan: BackfillPlan, dryRun: Bool) -> BackfillReport {
        BackfillReport(
            dryRun: dryRun, rows: plan.rows, entries: entries, alreadyRecorded: alreadyRecorded,
            files: plan.rowsPerFile.map { .init(file: $0.file, rows: $0.rows, entries: entriesPerFile[$0.file] ?? 0) },
            entryTypes: types.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { .init(type: $0.key, entries: $0.value) },
            people: people.sorted(), users: users, overrides: overrides)
    }
}
