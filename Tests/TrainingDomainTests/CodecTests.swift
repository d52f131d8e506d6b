import CompactJSON
import Foundation
import Testing
import TrainingDomain

/// Decodes `json` as the payload's own type with the compact decoder alone.
func compactRoundTrip<Payload: TrainingEventPayload>(_ payload: Payload, json: [UInt8]) throws -> Bool {
    try CompactJSONDecoder().decode(Payload.self, from: json) == payload
}

@Suite struct CodecTests {
    @Test("stored type names are explicit, unique and versioned")
    func typeNames() {
        let names = EventCodec.typeNames
        #expect(names.count == 46)
        // The read side's placeholder for an unreadable entry is never a stored type.
        #expect(!names.contains(UnreadableEntry.type))
        #expect(names.allSatisfy { $0.hasSuffix(".v1") && $0.contains(".") })
        #expect(RecruitHired.type == "hiring.recruit-hired.v1")
    }

    @Test("every event of a full lifecycle encodes and decodes losslessly")
    func roundTrip() throws {
        var s = Scenario.onProbation()
        let dor = s.entries.first { $0.event.type == DailyObservationReported.type }!
        s.given(
            .correctEntry(
                entry: dor.id, reason: "typo",
                replacement: .dailyObservationReported(
                    DailyObservationReported(
                        fto: Scenario.fto1.id, shiftDate: Scenario.fieldTrainingStart.adding(days: 1), phase: 1, ratings: ["radio_use": .notObserved],
                        narrative: "")),
                on: s.today), as: Scenario.fto1)
        let extra: [TrainingEvent] = [
            .trainingPolicyAdopted(TrainingPolicyAdopted(policy: .pasadenaDefault, effective: Scenario.hire)),
            .ftoTrainingProhibited(FTOTrainingProhibited(from: Scenario.hire, until: Scenario.hire.adding(days: 1095), reason: "AB 26")),
            .separated(Separated(kind: .released, reason: "r", date: Scenario.hire)),
            .probationExtended(ProbationExtended(newEnd: Scenario.hire, reason: "r")),
            .userRegistered(UserRegistered(user: OfficerID("sgt.okafor"), name: "Sgt. Okafor", role: .trainingSergeant)),
            .endOfPhaseReported(
                EndOfPhaseReported(
                    phase: 2, fto: Scenario.fto2.id, ratings: Scenario.rated(["radio_use": .notObserved]), strengths: ["attitude"],
                    needsImprovement: ["radio_use"], recommendation: .remedial, narrative: "Radio")),
            .basicCertificateAwarded(BasicCertificateAwarded(certificate: "BC-1", date: Scenario.hire)),
            .patrolAssignmentStarted(PatrolAssignmentStarted(date: Scenario.hire)),
            .coordinatorAppointed(CoordinatorAppointed(user: OfficerID("sgt.okafor"), effective: Scenario.hire)),
            .plausibilityOverridden(PlausibilityOverridden(entry: EntryID("e1"), check: .duplicateReview, reason: "Re-done after appeal")),
        ]
        var seen = Set<String>()
        for event in s.entries.map(\.event) + extra {
            let encoded = try EventCodec.encode(event)
            let decoded = try EventCodec.decode(type: encoded.type, schemaVersion: encoded.schemaVersion, json: encoded.json)
            #expect(decoded == event, "\(encoded.type)")
            // The fast path must take every type itself, not leave it to the Foundation fallback.
            #expect(try compactRoundTrip(event.payload, json: Array(encoded.json)), "\(encoded.type)")
            seen.insert(encoded.type)
        }
        #expect(seen.count >= 19, "types covered: \(seen.count)")
    }

    @Test("an old CourseCompleted payload (schema 1: minutes, no instructor) is upcast to today's shape")
    func upcastCourseCompleted() throws {
        let v1 =
            #"{"courseType":"use_of_force","title":"UoF refresher","minutes":270,"provider":"PPD","completedOn":"2024-03-01","certificateReference":"C-9"}"#
        let event = try EventCodec.decode(type: CourseCompleted.type, schemaVersion: 1, json: Data(v1.utf8))
        guard case .courseCompleted(let course) = event else {
            Issue.record("decoded \(event)")
            return
        }
        #expect(course.hours == 4.5)
        #expect(course.instructor == nil)
        #expect(course.completedOn == Day("2024-03-01"))
        #expect(try EventCodec.encode(event).schemaVersion == 2)
    }

    @Test("unknown types and future schema versions are refused, not guessed")
    func unknown() {
        #expect(throws: EventCodec.UnknownEvent.self) { try EventCodec.decode(type: "nope.v1", schemaVersion: 1, json: Data("{}".utf8)) }
        #expect(throws: EventCodec.UnknownEvent.self) { try EventCodec.decode(type: RecruitHired.type, schemaVersion: 9, json: Data("{}".utf8)) }
    }

    @Test("ratings encode as numbers or the marks N/O and NRT")
    func ratingEncoding() throws {
        let data = try JSONEncoder().encode([Rating.score(4), .notObserved, .notRespondingToTraining])
        #expect(String(decoding: data, as: UTF8.self) == #"[4,"N\/O","NRT"]"#)
        #expect(try JSONDecoder().decode([Rating].self, from: data) == [.score(4), .notObserved, .notRespondingToTraining])
    }
}

@Suite struct DayTests {
    @Test("parses and prints YYYY-MM-DD", arguments: ["1970-01-01", "2000-02-29", "2025-12-31", "1969-07-20"])
    func roundTrip(text: String) {
        #expect(Day(text)?.description == text)
    }

    @Test(
        "refuses impossible or malformed dates",
        arguments: ["2025-02-29", "2025-13-01", "2025-1-1", "x", "2025-04-31", "2025-04-301", "2025/04/30", "+025-04-30", "2025-04-3a", ""])
    func invalid(text: String) {
        #expect(Day(text) == nil)
    }

    @Test("adding months clamps to the month's end")
    func months() {
        #expect(Day("2025-01-31")!.adding(months: 1) == Day("2025-02-28"))
        #expect(Day("2024-01-31")!.adding(months: 1) == Day("2024-02-29"))
        #expect(Day("2025-11-15")!.adding(months: 3) == Day("2026-02-15"))
        #expect(Day("2025-03-15")!.adding(months: -3) == Day("2024-12-15"))
    }

    @Test("components and day numbers agree for 200 years of days")
    func civilRoundTrip() {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<5000 {
            let day = Day(daysSince1970: Int.random(in: -36500...36500, using: &generator))
            let (year, month, dayOfMonth) = day.components
            #expect(Day(year: year, month: month, day: dayOfMonth) == day)
        }
    }
}
