import Dispatch
import EventLog
import Postgres
import Synchronization
import TrainingDomain
import TrainingRecords

/// Writes read-model rows with `COPY ... FROM STDIN`: how a rebuild fills its fresh tables in one
/// statement per table, and how a live batch writes the rows it replaces.
enum ReadModelCopy {
    static let statusColumns = """
        trainee_id, agency, name, badge, stage, hired_on, academy_class, phase, phase_started_on, phase_minimum_end_on, ftos, \
        last_dor_on, dor_count, open_remedial, open_remedial_detail, earliest_remedial_due_on, solo_gates, solo_gates_fail_from, \
        solo_gates_fail_until, expected_solo_earliest_on, expected_solo_lead_days, solo_cleared_on, probation_end_on, separated_kind, \
        attention, academy_started_on, academy_graduated_on, field_training_started_on, separated_on, separated_stage, \
        phase_evaluated_on, unsigned_dors, unsigned_amended_dors, oldest_unsigned_dor_on, next_review_interval, next_review_due_on
        """
    static let courseworkColumns = "person_stream, person_name, course_type, completions, last_completed_on, expires_on, warning_days"
    static let ftoColumns = "person_stream, person_name, qualified_on, last_update_on, update_due_on"
    static let trendColumns = """
        trainee_id, phase, position, category, shifts, ratings, scored, first_rating, last_rating, mean_x100, direction
        """

    /// Every table's rows, encoded.
    struct Rows: Sendable {
        /// The coursework, FTO and trend rows end with their agency (a rebuild's, read with the
        /// log); otherwise the tables' stamp trigger fills it from the stream's first event.
        var agencyColumn = false
        var status = PostgresCopyText()
        var coursework = PostgresCopyText()
        var fto = PostgresCopyText()
        var trends = PostgresCopyText()

        var isEmpty: Bool { status.isEmpty && coursework.isEmpty && fto.isEmpty && trends.isEmpty }
        var byteCount: Int { status.bytes.count + coursework.bytes.count + fto.bytes.count + trends.bytes.count }

        /// Adds `other`'s rows, table by table.
        mutating func append(_ other: Rows) {
            precondition(isEmpty || other.isEmpty || agencyColumn == other.agencyColumn, "rows with and without their agency mixed")
            if isEmpty { agencyColumn = other.agencyColumn }
            status.append(other.status)
            coursework.append(other.coursework)
            fto.append(other.fto)
            trends.append(other.trends)
        }
    }

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
        let encoded = Mutex<[Int: Rows]>([:])
        let ranges = (0..<chunks).map { bounds[$0]..<bounds[$0 + 1] }
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let part = encode(files[ranges[chunk]].lazy.map { ($0.key, $0.value) }, policy: policy)
            encoded.withLock { $0[chunk] = part }
        }
        let parts = encoded.withLock { parts in (0..<chunks).compactMap { parts[$0] } }
        try copy(parts, suffix: suffix, on: connection)
    }

    /// The rows of `files`, encoded for every read-model table; with `agency`, every row names it.
    static func encode(_ files: some Sequence<(StreamID, PersonnelFile)>, policy: TrainingPolicy, agency: String? = nil) -> Rows {
        var rows = Rows()
        rows.agencyColumn = agency != nil
        for (stream, file) in files {
            // Keyed by the stream: the record's identity (a payload's id is only what was typed).
            if let trainee = Streams.trainee(of: stream), let row = ReadModelRows.traineeStatus(file, trainee: trainee.rawValue, policy: policy) {
                rows.status.append(row)
            }
            for row in ReadModelRows.coursework(file, stream: stream.rawValue, name: Streams.id(of: stream), policy: policy) {
                rows.coursework.append(row, agency: agency)
            }
            if let row = ReadModelRows.ftoQualification(file, stream: stream.rawValue, name: Streams.id(of: stream), policy: policy) {
                rows.fto.append(row, agency: agency)
            }
            if let trainee = Streams.trainee(of: stream) {
                for row in ReadModelRows.categoryTrends(file, trainee: trainee.rawValue, policy: policy) { rows.trends.append(row, agency: agency) }
            }
        }
        return rows
    }

    /// One COPY per table, skipped when there is nothing to load.
    static func copy(_ parts: [Rows], suffix: String, on connection: PostgresConnection) throws {
        let tables: [(table: String, columns: String, rows: KeyPath<Rows, PostgresCopyText>)] = [
            ("trainee_status", statusColumns, \.status), ("coursework_currency", courseworkColumns, \.coursework),
            ("fto_qualification", ftoColumns, \.fto), ("category_trends", trendColumns, \.trends),
        ]
        let withAgency = parts.contains(where: \.agencyColumn)
        precondition(parts.allSatisfy { $0.agencyColumn == withAgency || $0.isEmpty }, "rows with and without their agency mixed")
        for (table, columns, rows) in tables where parts.contains(where: { !$0[keyPath: rows].isEmpty }) {
            // The status row always names its agency (the hire's); the others only in a rebuild.
            let named = withAgency && table != "trainee_status" ? columns + ", agency" : columns
            try connection.copyIn(unsafeSQL: "COPY muster.\(table)\(suffix) (\(named)) FROM STDIN") { write in
                for part in parts where !part[keyPath: rows].isEmpty { try write(part[keyPath: rows].bytes) }
            }
        }
    }
}

extension PostgresCopyText {
    mutating func append(_ row: TraineeStatusRow) {
        text(row.traineeID)
        text(row.agency)
        text(row.name)
        text(row.badge)
        text(row.stage)
        value(row.hiredOn)
        text(row.academyClass)
        value(row.phase)
        value(row.phaseStartedOn)
        value(row.phaseMinimumEndOn)
        array(row.ftos)
        value(row.lastDOROn)
        value(row.dorCount)
        value(row.openRemedial)
        text(row.openRemedialDetail)
        value(row.earliestRemedialDueOn)
        array(row.soloGates.map(\.failingSummary))
        array(row.soloGates.map { $0.failing?.from })
        array(row.soloGates.map { $0.failing?.until })
        value(row.expectedSolo?.earliest)
        value(row.expectedSolo?.leadDays)
        value(row.soloClearedOn)
        value(row.probationEndOn)
        text(row.separatedKind)
        array(row.attention)
        value(row.academyStartedOn)
        value(row.academyGraduatedOn)
        value(row.fieldTrainingStartedOn)
        value(row.separatedOn)
        text(row.separatedStage)
        value(row.phaseEvaluatedOn)
        value(row.unsignedDORs)
        value(row.unsignedAmendedDORs)
        value(row.oldestUnsignedDOROn)
        value(row.nextReviewInterval)
        value(row.nextReviewDueOn)
        endRow()
    }

    mutating func append(_ row: FTOQualificationRow, agency: String?) {
        text(row.personStream)
        text(row.personName)
        value(row.qualifiedOn)
        value(row.lastUpdateOn)
        value(row.updateDueOn)
        if let agency { text(agency) }
        endRow()
    }

    mutating func append(_ row: CategoryTrendRow, agency: String?) {
        let trend = row.trend
        text(row.traineeID)
        value(trend.phase)
        value(row.position)
        text(trend.category.rawValue)
        array(trend.shifts.map { Optional($0) })
        array(trend.cells.map { $0?.description ?? "" })
        value(trend.scored)
        value(trend.first)
        value(trend.last)
        value(trend.meanTimes100)
        text(trend.direction.rawValue)
        if let agency { text(agency) }
        endRow()
    }

    mutating func append(_ row: CourseworkRow, agency: String?) {
        text(row.personStream)
        text(row.personName)
        text(row.courseType)
        value(row.completions)
        value(row.lastCompletedOn)
        value(row.expiresOn)
        value(row.warningDays)
        if let agency { text(agency) }
        endRow()
    }
}
