import EventLog
import EventLogTesting
import Foundation
import Testing
import TrainingServices

/// The staging store a backfill decides against: the real log as first read, plus what is staged.
@Suite struct StagingEventStoreTests {
    @Test("reads see the log as first read plus what is staged; nothing reaches the log; the commit expects the versions read")
    func stagesOverTheLog() async throws {
        let log = InMemoryEventStore()
        let existing = Fixtures.stream()
        _ = try await log.append(Fixtures.events(2), to: existing, expectedVersion: .noStream)
        let staging = StagingEventStore(base: log)
        let fresh = Fixtures.stream()
        let staged = Fixtures.events(2, tag: "staged")
        _ = try await staging.append(Array(staged.prefix(1)), to: existing, expectedVersion: .exact(2))
        _ = try await staging.append(Array(staged.suffix(1)), to: fresh, expectedVersion: .noStream)
        #expect(try await staging.readStream(existing).map(\.version) == [1, 2, 3])
        #expect(try await staging.readStream(existing, from: Int.max, direction: .backward, limit: 1).map(\.id) == [staged[0].id])
        #expect(try await log.currentVersion(of: existing) == 2)
        #expect(try await log.currentVersion(of: fresh) == 0)

        // Someone else writes meanwhile: the staging store keeps deciding on what it read, and
        // the commit still expects version 2, so it will fail rather than interleave.
        _ = try await log.append(Fixtures.events(1), to: existing, expectedVersion: .exact(2))
        #expect(try await staging.readStream(existing).count == 3)
        let error = await #expect(throws: EventLogError.self) {
            _ = try await staging.append(Fixtures.events(1), to: existing, expectedVersion: .exact(2))
        }
        #expect(error?.code == .wrongExpectedVersion)
        let pending = await staging.pending()
        #expect(pending.map(\.stream) == [existing, fresh])
        #expect(pending.map(\.expectedVersion) == [.exact(2), .noStream])
        #expect(pending.map { $0.events.map(\.id) } == [[staged[0].id], [staged[1].id]])
        let refused = await #expect(throws: EventLogError.self) { _ = try await log.appendAtomically(pending) }
        #expect(refused?.code == .wrongExpectedVersion)
        #expect(try await log.currentVersion(of: fresh) == 0)
    }

    @Test("lookups find values in the log and among staged events")
    func lookups() async throws {
        let log = InMemoryEventStore()
        let held = Fixtures.stream()
        _ = try await log.append([Fixtures.event("hiring.recruit-hired.v1", data: #"{"badge":"R-1"}"#)], to: held, expectedVersion: .noStream)
        let staging = StagingEventStore(base: log)
        let staged = Fixtures.stream()
        _ = try await staging.append([Fixtures.event("hiring.recruit-hired.v1", data: #"{"badge":"R-2"}"#)], to: staged, expectedVersion: .noStream)
        #expect(try await staging.streams(ofType: "hiring.recruit-hired.v1", matching: [("badge", "R-1")]) == [held])
        #expect(try await staging.streams(ofType: "hiring.recruit-hired.v1", matching: [("badge", "R-2")]) == [staged])
        #expect(try await staging.streams(ofType: "hiring.recruit-hired.v1", matching: [("badge", "R-3")]).isEmpty)
    }
}
