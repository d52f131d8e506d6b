import EventLog
import Foundation
import Postgres
public import TrainingDomain
import TrainingProjections

/// Bulk-loads synthetic agencies for benchmarks with COPY: officers with years of coursework
/// (some of them FTOs) and a share of recruits with field-training histories. The hash chains
/// are computed here exactly as the store computes them, so `muster audit verify` passes.
public struct SyntheticSeeder: Sendable {
    let configuration: PostgresConfiguration
    let today: Day

    init(configuration: PostgresConfiguration, today: Day) {
        self.configuration = configuration
        self.today = today
    }

    /// - Returns: the number of events loaded.
    public func seed(agencies: Int, officers: Int, progress: (Int, Int) -> Void = { _, _ in }) async throws -> Int {
        let client = try await PostgresClient.connect(configuration)
        let recordedMicros = Microseconds.since1970(Date())
        let recordedText = Self.timestamp(recordedMicros)
        let sergeant = Actor(id: OfficerID("sgt.synthetic"), role: .trainingSergeant)
        var generator = SplitMix(seed: 42)
        var loaded = 0
        var batch: [UInt8] = []
        func flush() async throws {
            guard !batch.isEmpty else { return }
            let rows = batch
            batch.removeAll(keepingCapacity: true)
            try await client.withConnection { connection in
                try connection.copyIn(
                    unsafeSQL: """
                        COPY muster.events (stream_id, stream_version, event_id, event_type, schema_version, data, metadata,
                                            occurred_at, recorded_at, prev_hash, hash) FROM STDIN
                        """
                ) { write in try write(rows) }
            }
        }
        func append(_ stream: StreamID, _ entries: [Entry]) throws {
            var previous = EventHash.genesis
            for (index, entry) in entries.enumerated() {
                let event = try EntryMapping.eventData(entry, source: "seed:synthetic")
                let content = event.hashContent(stream: stream, version: index + 1)
                let hash = EventHash.hash(previous: previous, content: content, recordedAtMicros: recordedMicros)
                let fields = [
                    stream.rawValue, "\(index + 1)", event.id.uuidString.lowercased(), event.type, "\(event.schemaVersion)",
                    Self.copyEscaped(event.data), Self.copyEscaped(event.canonicalMetadata),
                    Self.timestamp(Microseconds.since1970(event.occurredAt)), recordedText,
                    "\\\\x" + HexBytes.encode(previous), "\\\\x" + HexBytes.encode(hash),
                ]
                batch.append(contentsOf: fields.joined(separator: "\t").utf8)
                batch.append(0x0a)
                previous = hash
            }
            loaded += entries.count
        }
        let perAgency = max(1, officers / max(1, agencies))
        let total = perAgency * agencies
        var made = 0
        for agency in 0..<agencies {
            for index in 0..<perAgency {
                let name = "a\(agency)-o\(index)"
                if index % 20 == 0 {
                    try append(try StreamID(category: "trainee", id: name), recruitHistory(name, agency: agency, &generator, sergeant))
                } else {
                    try append(try StreamID(category: "officer", id: name), officerHistory(index, &generator, sergeant))
                }
                made += 1
                if batch.count > 8 << 20 {
                    try await flush()
                    progress(made, total)
                }
            }
        }
        try await flush()
        progress(made, total)
        await client.close()
        return loaded
    }

    func entry(_ event: TrainingEvent, _ day: Day, _ actor: Actor, _ generator: inout SplitMix) -> Entry {
        Entry(id: EntryID(generator.uuid().uuidString.lowercased()), occurredOn: day, actor: actor, event: event)
    }

    /// Eight years of refreshers, every officer; every tenth an FTO.
    func officerHistory(_ index: Int, _ g: inout SplitMix, _ sergeant: Actor) -> [Entry] {
        var entries: [Entry] = []
        if index % 10 == 1 { entries.append(entry(.ftoQualified(FTOQualified(courseDate: today.adding(days: -Int(g.next() % 2000)))), today.adding(days: -2000), sergeant, &g)) }
        let uofStart = Int(g.next() % 420)
        for year in (0..<5).reversed() {
            let day = today.adding(days: -(uofStart + year * 365))
            entries.append(entry(.courseCompleted(CourseCompleted(courseType: "use_of_force", title: "Use of force refresher", hours: 4, provider: "Agency", instructor: nil, completedOn: day, certificateReference: nil)), day, sergeant, &g))
        }
        let biasStart = Int(g.next() % 800)
        for cycle in (0..<3).reversed() {
            let day = today.adding(days: -(biasStart + cycle * 730))
            entries.append(entry(.courseCompleted(CourseCompleted(courseType: "implicit_bias", title: "RIPA refresher", hours: 2, provider: "POST", instructor: "Instructor", completedOn: day, certificateReference: nil)), day, sergeant, &g))
        }
        return entries
    }

    /// A recruit hired within the last year: academy, and (if far enough along) field training with DORs.
    func recruitHistory(_ name: String, agency: Int, _ g: inout SplitMix, _ sergeant: Actor) -> [Entry] {
        let hire = today.adding(days: -Int(g.next() % 360))
        let fto = Actor(id: OfficerID("a\(agency)-o1"), role: .fto)
        var entries = [
            entry(.recruitHired(RecruitHired(trainee: TraineeID(name), name: "Recruit \(name)", badge: "S-\(name)", hireDate: hire, agency: AgencyID("agency-\(agency)"))), hire, sergeant, &g),
            entry(.academyEnrolled(AcademyEnrolled(classNumber: "S-\(agency)", academy: "Regional academy", start: hire.adding(days: 7))), hire, sergeant, &g),
        ]
        let graduation = hire.adding(days: 7 + 182)
        guard graduation < today else { return entries }
        for (index, test) in TrainingPolicy.pasadenaDefault.academy.requiredTests.enumerated() {
            entries.append(entry(.academyTestRecorded(AcademyTestRecorded(test: test, attempt: 1, passed: true, score: 85, instructor: "Instructor")), hire.adding(days: 60 + index), sergeant, &g))
        }
        entries.append(entry(.academyGraduated(AcademyGraduated(date: graduation)), graduation, sergeant, &g))
        entries.append(entry(.fieldTrainingStarted(FieldTrainingStarted(date: graduation.adding(days: 3))), graduation.adding(days: 3), sergeant, &g))
        entries.append(entry(.ftoAssigned(FTOAssigned(fto: fto.id, phase: 1)), graduation.adding(days: 3), sergeant, &g))
        var shift = graduation.adding(days: 4)
        while shift < today && shift < graduation.adding(days: 40) {
            entries.append(entry(.dailyObservationReported(DailyObservationReported(fto: fto.id, shiftDate: shift, phase: 1, ratings: ["report_writing": .score(4), "officer_safety": .score(5)], narrative: "")), shift, fto, &g))
            shift = shift.adding(days: 2)
        }
        return entries
    }

    /// COPY text format: backslash, tab and newline escaped.
    static func copyEscaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for character in text {
            switch character {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.append(character)
            }
        }
        return out
    }

    static func timestamp(_ micros: Int64) -> String {
        let date = Microseconds.date(micros)
        let day = Day(daysSince1970: Int((date.timeIntervalSince1970 / 86_400).rounded(.down)))
        let secondsOfDay = micros / 1_000_000 - Int64(day.daysSince1970) * 86_400
        let fraction = micros % 1_000_000
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(day) \(pad(secondsOfDay / 3600, 2)):\(pad(secondsOfDay / 60 % 60, 2)):\(pad(secondsOfDay % 60, 2)).\(pad(fraction, 6))+00"
    }
}

/// Deterministic ids and numbers for synthetic data.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func uuid() -> UUID {
        let a = next()
        let b = next()
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in 0..<8 {
            bytes[i] = UInt8(truncatingIfNeeded: a >> (i * 8))
            bytes[8 + i] = UInt8(truncatingIfNeeded: b >> (i * 8))
        }
        bytes[6] = (bytes[6] & 0x0f) | 0x40
        bytes[8] = (bytes[8] & 0x3f) | 0x80
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}

extension MusterDatabase {
    public func syntheticSeeder(today: Day) -> SyntheticSeeder {
        SyntheticSeeder(configuration: configuration, today: today)
    }
}
