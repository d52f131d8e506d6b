import Dispatch
import EventLog
import Postgres
import Synchronization
import TrainingDomain

/// Writes read-model rows with `COPY ... FROM STDIN` (text format): how a rebuild fills its
/// fresh tables in one statement per table, and how a live batch writes the rows it replaces.
enum ReadModelCopy {
    static let statusColumns = """
        trainee_id, agency, name, badge, stage, hired_on, academy_class, phase, phase_started_on, phase_minimum_end_on, ftos, \
        last_dor_on, dor_count, open_remedial, open_remedial_detail, earliest_remedial_due_on, failing_gates, expected_solo_on, \
        solo_cleared_on, probation_end_on, separated_kind
        """
    static let courseworkColumns = "person_stream, person_name, course_type, completions, last_completed_on, expires_on, warning_days"

    /// Encodes every file's rows (in parallel chunks) and loads them.
    static func load(_ files: [StreamID: PersonnelFile], policy: TrainingPolicy, suffix: String, on connection: PostgresConnection) throws {
        // Chunks of the dictionary itself (walking indices copies no file).
        let chunks = max(1, min(16, files.count / 2000))
        let size = (files.count + chunks - 1) / chunks
        var bounds = [files.startIndex]
        var index = files.startIndex
        for _ in 0..<chunks {
            index = files.index(index, offsetBy: min(size, files.distance(from: index, to: files.endIndex)))
            bounds.append(index)
        }
        let encoded = Mutex<[Int: (status: [UInt8], coursework: [UInt8])]>([:])
        let ranges = (0..<chunks).map { bounds[$0]..<bounds[$0 + 1] }
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let part = encode(files[ranges[chunk]].lazy.map { ($0.key, $0.value) }, policy: policy)
            encoded.withLock { $0[chunk] = part }
        }
        let parts = encoded.withLock { parts in (0..<chunks).compactMap { parts[$0] } }
        try copy(parts, suffix: suffix, on: connection)
    }

    /// The rows of `files`, encoded for the two tables.
    static func encode(_ files: some Sequence<(StreamID, PersonnelFile)>, policy: TrainingPolicy) -> (status: [UInt8], coursework: [UInt8]) {
        var status = Line()
        var coursework = Line()
        for (stream, file) in files {
            // Keyed by the stream: the record's identity (a payload's id is only what was typed).
            if stream.category == "trainee", var row = ReadModelRows.traineeStatus(file, policy: policy) {
                row.traineeID = String(stream.rawValue.dropFirst("trainee-".count))
                status.append(row)
            }
            for row in ReadModelRows.coursework(file, stream: stream.rawValue, policy: policy) { coursework.append(row) }
        }
        return (status.bytes, coursework.bytes)
    }

    /// One COPY per table, skipped when there is nothing to load.
    static func copy(_ parts: [(status: [UInt8], coursework: [UInt8])], suffix: String, on connection: PostgresConnection) throws {
        if parts.contains(where: { !$0.status.isEmpty }) {
            try connection.copyIn(unsafeSQL: "COPY muster.trainee_status\(suffix) (\(statusColumns)) FROM STDIN") { write in
                for part in parts where !part.status.isEmpty { try write(part.status) }
            }
        }
        if parts.contains(where: { !$0.coursework.isEmpty }) {
            try connection.copyIn(unsafeSQL: "COPY muster.coursework_currency\(suffix) (\(courseworkColumns)) FROM STDIN") { write in
                for part in parts where !part.coursework.isEmpty { try write(part.coursework) }
            }
        }
    }

    /// Rows in COPY text format: tab-separated, `\N` for NULL, backslash escapes.
    struct Line {
        var bytes: [UInt8] = []

        mutating func append(_ row: TraineeStatusRow) {
            text(row.traineeID)
            text(row.agency)
            text(row.name)
            text(row.badge)
            text(row.stage)
            text(row.hiredOn.description)
            text(row.academyClass)
            text(row.phase.map(String.init))
            text(row.phaseStartedOn?.description)
            text(row.phaseMinimumEndOn?.description)
            array(row.ftos)
            text(row.lastDOROn?.description)
            text(String(row.dorCount))
            text(String(row.openRemedial))
            text(row.openRemedialDetail)
            text(row.earliestRemedialDueOn?.description)
            array(row.failingGates)
            text(row.expectedSoloOn?.description)
            text(row.soloClearedOn?.description)
            text(row.probationEndOn?.description)
            text(row.separatedKind, last: true)
        }

        mutating func append(_ row: CourseworkRow) {
            text(row.personStream)
            text(row.personName)
            text(row.courseType)
            text(String(row.completions))
            text(row.lastCompletedOn?.description)
            text(row.expiresOn?.description)
            text(String(row.warningDays), last: true)
        }

        mutating func text(_ value: String?, last: Bool = false) {
            if let value {
                for byte in value.utf8 { escaped(byte) }
            } else {
                bytes.append(contentsOf: [0x5C, 0x4E])  // \N
            }
            bytes.append(last ? 0x0A : 0x09)
        }

        /// A text[] literal: every element double-quoted, `"` and `\` escaped inside it.
        mutating func array(_ values: [String]) {
            bytes.append(UInt8(ascii: "{"))
            for (index, value) in values.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                bytes.append(UInt8(ascii: "\""))
                for byte in value.utf8 {
                    if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { escaped(UInt8(ascii: "\\")) }
                    escaped(byte)
                }
                bytes.append(UInt8(ascii: "\""))
            }
            bytes.append(UInt8(ascii: "}"))
            bytes.append(0x09)
        }

        private mutating func escaped(_ byte: UInt8) {
            switch byte {
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            default: bytes.append(byte)
            }
        }
    }
}
