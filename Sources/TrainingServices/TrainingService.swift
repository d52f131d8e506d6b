public import EventLog
public import Foundation
public import TrainingDomain
import TrainingProjections

/// Whose record a command is about.
public enum FileReference: Hashable, Sendable, CustomStringConvertible {
    case trainee(TraineeID)
    case officer(OfficerID)

    public var stream: StreamID {
        get throws {
            switch self {
            case .trainee(let id): try StreamID(category: "trainee", id: id.rawValue)
            case .officer(let id): try StreamID(category: "officer", id: id.rawValue)
            }
        }
    }

    public var description: String {
        switch self {
        case .trainee(let id): "trainee \(id)"
        case .officer(let id): "officer \(id)"
        }
    }
}

/// Loads a record, decides, appends with the expected version, and on a version conflict
/// decides again on fresh state (bounded). The one place commands become events.
public struct TrainingService: Sendable {
    public let store: any EventStore
    public let agency: AgencyID
    let now: @Sendable () -> Date
    let newID: @Sendable () -> UUID
    /// Attempts before a conflict is reported.
    public var maximumAttempts = 5

    /// - Parameters:
    ///   - now: the clock ("today" for the rules); inject a fixed one in tests.
    ///   - newID: entry ids.
    public init(
        store: any EventStore, agency: AgencyID, now: @escaping @Sendable () -> Date = { Date() },
        newID: @escaping @Sendable () -> UUID = { UUID() }
    ) {
        self.store = store
        self.agency = agency
        self.now = now
        self.newID = newID
    }

    public var policyStream: StreamID {
        get throws { try StreamID(category: "policy", id: agency.rawValue) }
    }

    /// The record as the log holds it now, and its stream version.
    public func load(_ reference: FileReference) async throws -> (file: PersonnelFile, version: Int) {
        let events = try await store.readStream(try reference.stream)
        return (TrainingDecider.fold(try EntryMapping.entries(events)), events.last?.version ?? 0)
    }

    /// Every policy the agency adopted.
    public func policies() async throws -> PolicyBook {
        var book = PolicyBook()
        for event in try await store.readStream(try policyStream) {
            if case .trainingPolicyAdopted(let adopted) = try EntryMapping.entry(event).event {
                book.adopt(adopted.policy, effective: adopted.effective)
            }
        }
        return book.adopted.isEmpty ? .default : book
    }

    /// Records `command` on `reference`'s record as `actor`.
    ///
    /// - Throws: `DomainError` when a rule refuses it (nothing is written); `EventLogError`
    ///   `wrongExpectedVersion` when others kept changing the record through every attempt.
    @discardableResult
    public func record(_ command: TrainingCommand, on reference: FileReference, by actor: Actor, source: String = "cli") async throws -> [RecordedEvent] {
        let stream = try reference.stream
        let correlation = newID()
        var lastConflict: EventLogError?
        for _ in 0..<maximumAttempts {
            let (file, version) = try await load(reference)
            let today = EntryMapping.day(now())
            let context = CommandContext(
                actor: actor, today: today, policies: try await policies(),
                ftoQualifications: try await qualifications(of: Self.ftos(named: command)),
                newEntryIDs: (0..<4).map { _ in EntryID(newID().uuidString.lowercased()) })
            let entries: [Entry]
            do {
                entries = try TrainingDecider.decide(command, file, context)
            } catch {
                // Typed throws: `error` is a DomainError. Name the record the user asked for.
                guard error.rule == .notHired else { throw error }
                throw DomainError(.notHired, "\(reference) is not on file; check the id, or hire the recruit first (muster trainee hire)")
            }
            let events = try entries.map { try EntryMapping.eventData($0, source: source, correlationID: correlation) }
            do {
                _ = try await store.append(events, to: stream, expectedVersion: version == 0 ? .noStream : .exact(version))
                return try await store.readStream(stream, from: version + 1, direction: .forward, limit: events.count)
            } catch let error as EventLogError where error.code == .wrongExpectedVersion {
                lastConflict = error
            }
        }
        throw EventLogError(
            code: .wrongExpectedVersion,
            message: "\(reference) kept changing while this was being recorded (\(maximumAttempts) attempts); try again",
            stream: stream, cause: lastConflict)
    }

    /// Records a policy adoption on the agency's policy stream.
    public func adopt(_ policy: TrainingPolicy, effective: Day, by actor: Actor) async throws {
        guard [.chief, .chiefDesignee, .commandStaff].contains(actor.role) else {
            throw DomainError(.notAuthorized, "\(actor.id) acting as \(actor.role) may not adopt training policy; that takes command staff or the chief")
        }
        let entry = Entry(
            id: EntryID(newID().uuidString.lowercased()), occurredOn: effective, actor: actor,
            event: .trainingPolicyAdopted(TrainingPolicyAdopted(policy: policy, effective: effective)))
        _ = try await store.append([try EntryMapping.eventData(entry)], to: try policyStream, expectedVersion: .any)
    }

    static func ftos(named command: TrainingCommand) -> [OfficerID] {
        switch command {
        case .assignFTO(let fto, _, _), .fileDailyObservation(let fto, _, _, _): [fto]
        default: []
        }
    }

    func qualifications(of officers: [OfficerID]) async throws -> [OfficerID: FTOQualificationRecord] {
        var records: [OfficerID: FTOQualificationRecord] = [:]
        for officer in officers {
            records[officer] = try await load(.officer(officer)).file.ftoQualification
        }
        return records
    }
}
