public import EventLog
import Foundation
public import TrainingDomain
public import TrainingRecords

/// The one place commands become events: load the stream, decide, append with the expected
/// version, and on a version conflict decide again on fresh state (bounded). Personnel files,
/// the user roster and the training policy all go through the same loop.
public struct TrainingService: Sendable {
    public let store: any EventStore
    public let agency: AgencyID
    public let clock: WallClock
    /// Attempts before a conflict is reported.
    public var maximumAttempts = 10
    /// Where ``policies()`` comes from when not from the log itself: a server's cache, kept
    /// current by the policy stream's version read with the caller's credentials.
    public var policySource: (@Sendable () async throws -> PolicyBook)?

    /// - Parameter clock: "today" for the rules; inject a fixed one in tests.
    public init(store: any EventStore, agency: AgencyID, clock: WallClock = .system) {
        self.store = store
        self.agency = agency
        self.clock = clock
    }

    // MARK: - Reading state

    /// A stream folded by its decider, and the stream's version.
    func load<D: Decider>(_: D.Type, from stream: StreamID) async throws -> (state: D.State, version: Int) {
        var state = D.initial
        var version = 0
        var page = try await store.readStreamToFold(stream, from: 1, limit: Self.loadPage)
        // A page at a time: while the database reads the next page, the last one is decoded
        // and folded here (decoding costs about as much as reading), so a long stream loads in
        // little more than the time of its read. The state is folded in place: a copy of it
        // held anywhere else would make every page copy the whole record.
        while true {
            version = page.last?.version ?? version
            guard page.count == Self.loadPage else {
                D.fold(EntryMapping.entries(page), onto: &state)
                return (state, version)
            }
            let decoding = Task { [page] in EntryMapping.entries(page) }
            let from = version + 1
            async let next = store.readStreamToFold(stream, from: from, limit: Self.loadPage)
            D.fold(await decoding.value, onto: &state)
            page = try await next
        }
    }

    /// Events per page when a stream is loaded to fold.
    static let loadPage = 1000

    /// The record as the log holds it now, and its stream version.
    public func load(_ reference: FileReference) async throws -> (file: PersonnelFile, version: Int) {
        let (file, version) = try await load(TrainingDecider.self, from: try reference.stream)
        return (file, version)
    }

    /// Every policy the agency adopted (the built-in default before the first).
    public func policies() async throws -> PolicyBook {
        if let policySource { return try await policySource() }
        return try await load(PolicyDecider.self, from: try Streams.policy(agency)).state
    }

    /// Everyone who may record entries, with their roles.
    public func roster() async throws -> UserRoster {
        try await load(RosterDecider.self, from: try Streams.users(agency)).state
    }

    /// The acting user, in the role they are registered in (a disabled user acts no more).
    public func resolve(_ user: OfficerID) async throws -> Actor {
        let roster = try await roster()
        guard let member = roster.member(user) else {
            guard !roster.members.isEmpty else {
                throw DomainError(
                    .notAuthorized,
                    "unknown agency \(agency): nobody is registered in it; check --agency or MUSTER_AGENCY, "
                        + "or register its first user with `muster user add ID --name ... --role chief --agency \(agency)`")
            }
            throw DomainError(
                .notAuthorized, "unknown user \(user) in agency \(agency); add them with `muster user add \(user) --name ... --role ...`")
        }
        guard !member.disabled else { throw DomainError(.userDisabled, "user \(user) is disabled; a manager can enable them again") }
        return Actor(id: member.id, role: member.role)
    }

    /// Disables, enables or changes the role of a registered user.
    @discardableResult
    public func manage(_ command: RosterCommand, by actor: Actor, provenance: Provenance = Provenance()) async throws -> [RecordedEvent] {
        try await execute(RosterDecider.self, command, on: try Streams.users(agency), by: actor, provenance: provenance) { $0 }
    }

    // MARK: - Recording

    /// Records `command` on `reference`'s record as `actor`.
    ///
    /// - Throws: `DomainError` when a rule refuses it (nothing is written); `EventLogError`
    ///   `wrongExpectedVersion` when others kept changing the record through every attempt.
    /// A command retried with the same ``Provenance/commandID`` (after an ambiguous failure: the
    /// connection dropped before the reply) records nothing new and returns what the first
    /// attempt recorded.
    /// - Parameter overrideReason: why an entry a plausibility check questions is right anyway
    ///   (recorded beside it, where policy allows overriding that check).
    /// - Parameter expectedVersion: with it (an HTTP If-Match), a record at any other version is
    ///   refused with `wrongExpectedVersion` naming the current version, and nothing is decided again.
    @discardableResult
    public func record(
        _ command: TrainingCommand, on reference: FileReference, by actor: Actor, provenance: Provenance = Provenance(),
        overrideReason: String? = nil, expectedVersion: Int? = nil
    ) async throws -> [RecordedEvent] {
        do {
            return try await execute(
                TrainingDecider.self, command, on: try reference.stream, by: actor, provenance: provenance, expectedVersion: expectedVersion
            ) { context in
                var context = context
                context.subject = reference.person
                context.policies = try await policies()
                context.ftoQualifications = try await qualifications(of: Self.ftos(named: command))
                context.overrideReason = overrideReason
                context.document = provenance.document
                context.badgeHolders = try await badgeHolders(for: command)
                return context
            }
        } catch let error as DomainError where error.rule == .notHired {
            throw DomainError(.notHired, "\(reference) is not on file; check the id, or hire the recruit first (muster trainee hire)")
        } catch let error as EventLogError where error.code == .duplicateValue && error.constraint == "events_hire_badge_key" {
            // Two hires with one badge raced past the check: the database's unique index refused the second.
            throw DomainError(
                .implausible, "badge is already held by another person of the agency (check \(PlausibilityCheck.duplicateBadge))",
                check: .duplicateBadge)
        }
    }

    /// Who already holds the badge a hire names (the database's unique index is the last word).
    func badgeHolders(for command: TrainingCommand) async throws -> [String: TraineeID] {
        guard case .hireRecruit(_, _, let badge, _, let agency) = command, let lookup = store as? any EventLookup else { return [:] }
        let streams = try await lookup.streams(
            ofType: RecruitHired.type, matching: [(field: "agency", value: agency.rawValue), (field: "badge", value: badge)])
        guard let holder = streams.lazy.compactMap(Streams.trainee(of:)).first else { return [:] }
        return [badge: holder]
    }

    /// Registers `user` in `role`; `actor` is who adds them (`nil` only for the very first user,
    /// who registers themself).
    @discardableResult
    public func register(
        _ user: OfficerID, name: String, role: Role, by actor: Actor?, provenance: Provenance = Provenance()
    ) async throws -> [RecordedEvent] {
        var provenance = provenance
        if actor == nil { provenance.source = "bootstrap" }
        return try await execute(
            RosterDecider.self, .register(user: user, name: name, role: role), on: try Streams.users(agency),
            by: actor ?? Actor(id: user, role: role), provenance: provenance
        ) { $0 }
    }

    /// Adopts a training policy from `effective` on.
    @discardableResult
    public func adopt(
        _ policy: TrainingPolicy, effective: Day, by actor: Actor, provenance: Provenance = Provenance()
    ) async throws -> [RecordedEvent] {
        try await execute(
            PolicyDecider.self, .adopt(policy, effective: effective), on: try Streams.policy(agency), by: actor, provenance: provenance
        ) { $0 }
    }

    /// Load → decide → append → retry: the loop every decider's commands run through.
    ///
    /// The command's id comes first: if the stream already holds entries of this command (it
    /// was recorded, but the reply was lost), they are the answer and nothing is decided again.
    /// New entries take ids derived from the command id, so even an append retried by the store
    /// itself cannot write them twice.
    func execute<D: Decider>(
        _ decider: D.Type, _ command: D.Command, on stream: StreamID, by actor: Actor, provenance: Provenance,
        expectedVersion: Int? = nil, context enrich: (CommandContext) async throws -> CommandContext
    ) async throws -> [RecordedEvent] {
        var lastConflict: EventLogError?
        for _ in 0..<maximumAttempts {
            let events = try await store.readStreamToFold(stream)
            let earlier = events.filter(provenance.recorded)
            if !earlier.isEmpty { return earlier }
            let state = D.fold(EntryMapping.entries(events))
            let version = events.last?.version ?? 0
            if let expectedVersion, expectedVersion != version {
                throw EventLogError.wrongExpectedVersion(stream: stream, expected: .exact(expectedVersion), actual: version)
            }
            let base = CommandContext(actor: actor, today: clock.today, newEntryIDs: (0..<4).map(provenance.entryID))
            let entries = try D.decide(command, state, try await enrich(base))
            let new = try entries.map { try EntryMapping.eventData($0, provenance: provenance) }
            do {
                _ = try await store.append(new, to: stream, expectedVersion: version == 0 ? .noStream : .exact(version))
                return try await store.readStream(stream, from: version + 1, direction: .forward, limit: new.count)
            } catch let error as EventLogError where error.code == .wrongExpectedVersion {
                lastConflict = error
                // Others are writing the same record: step aside a moment (jittered) before deciding again.
                try await Task.sleep(for: .microseconds(Int.random(in: 0...2000)))
            }
        }
        throw EventLogError(
            code: .wrongExpectedVersion,
            message: "\(stream) kept changing while this was being recorded (\(maximumAttempts) attempts); try again",
            stream: stream, cause: lastConflict)
    }

    static func ftos(named command: TrainingCommand) -> [OfficerID] {
        switch command {
        case .assignFTO(let fto, _, _), .fileDailyObservation(let fto, _, _, _), .signOffTask(_, let fto, _, _), .attestCompetency(let fto, _, _),
            .reportEndOfPhase(_, let fto, _, _), .evaluatePhase(_, let fto, _, _):
            [fto]
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
