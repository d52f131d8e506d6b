import CoreMetrics
import EventLog
import Foundation
import HTTPTypes
import Hummingbird
import TrainingDomain
import TrainingProjections
import TrainingRecords
import TrainingServices

/// Recording on personnel files, and reading one person's record (every read logged).
extension MusterServer {
    /// What a recording answered (a replay of the same Idempotency-Key answers the same).
    struct Recorded: Encodable, Sendable {
        struct Entry: Encodable, Sendable {
            var entry: String
            var type: String
            var version: Int
        }
        var record: String
        /// The record's version after these entries (send it as If-Match next time).
        var version: Int
        var entries: [Entry]
    }

    static let idempotencyHeader = HTTPField.Name("Idempotency-Key")!

    /// The command id for this user's Idempotency-Key: a name-based UUID of (user, key), so one
    /// user's key never collides with another's, and the same POST sent twice is one command.
    func commandID(_ call: Call, _ identity: Identity) throws -> UUID {
        guard let key = call.request.headers[Self.idempotencyHeader] else {
            throw Problem(
                HTTPResponse.Status(code: 428, reasonPhrase: "Precondition Required"), "idempotency-key-required", "Idempotency-Key required",
                detail: "send an Idempotency-Key header (e.g. a new UUID) with every recording; send the same key to retry safely")
        }
        guard (1...200).contains(key.utf8.count), key.utf8.allSatisfy({ (0x21...0x7e).contains($0) }) else {
            throw Problem.badRequest("the Idempotency-Key must be 1 to 200 visible ASCII characters", field: "Idempotency-Key")
        }
        return Self.commandID(user: identity.actor.id, key: key)
    }

    /// The same key from the same user is the same command, from the API or a web form.
    static func commandID(user: OfficerID, key: String) -> UUID {
        var bytes = Array("muster.idempotency".utf8)
        bytes.append(0)
        bytes += Array(user.rawValue.utf8)
        bytes.append(0)
        bytes += Array(key.utf8)
        var id = Array(EventHash.sha256(bytes).prefix(16))
        id[6] = (id[6] & 0x0F) | 0x80
        id[8] = (id[8] & 0x3F) | 0x80
        return UUID(uuid: (id[0], id[1], id[2], id[3], id[4], id[5], id[6], id[7], id[8], id[9], id[10], id[11], id[12], id[13], id[14], id[15]))
    }

    /// `If-Match: "7"`: the record must be at version 7, else 409 with the current version.
    func expectedVersion(_ call: Call) throws -> Int? {
        guard let header = call.request.headers[.ifMatch] else { return nil }
        let trimmed = header.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "W/", with: "")
        let digits = trimmed.hasPrefix("\"") && trimmed.hasSuffix("\"") && trimmed.count >= 2 ? String(trimmed.dropFirst().dropLast()) : trimmed
        guard let version = Int(digits), (0...Int(Int32.max)).contains(version) else {
            throw Problem.badRequest("If-Match must be a record version, e.g. \"7\" (the ETag of a read or a recording)", field: "If-Match")
        }
        return version
    }

    /// Records `command` for the caller, as the caller, with the request's provenance.
    func record(_ call: Call, on reference: FileReference, _ make: (Identity, Day) async throws -> TrainingCommand) async throws -> Response {
        let identity = try call.caller()
        let provenance = Provenance(
            source: "api", commandID: try commandID(call, identity), authentication: identity.authentication, requestID: call.context.requestID)
        let ifMatch = try expectedVersion(call)
        let day = call.body.day("date") ?? call.lease.services.today
        let command = try await make(identity, day)
        // The policies from the server's cache, current as of the credential's query.
        var training = call.lease.services.training
        let (policies, store, known) = (policyBooks, call.lease.services.store, identity.policyVersion)
        training.policySource = { try await policies.current(from: store, knownVersion: known) }
        let events = try await training.record(
            command, on: reference, by: identity.actor, provenance: provenance, expectedVersion: ifMatch)
        let replayed = events.first?.metadata.requestID != call.context.requestID
        if !replayed { ServerMetrics.appendedEvents.increment(by: events.count) }
        let version = events.map(\.version).max() ?? 0
        var headers: HTTPFields = [.eTag: "\"\(version)\""]
        if replayed { headers[HTTPField.Name("Idempotent-Replayed")!] = "true" }
        return try Reply.json(
            Recorded(
                record: reference.description, version: version,
                entries: events.map { .init(entry: $0.id.uuidString.lowercased(), type: $0.type, version: $0.version) }),
            status: .created, headers: headers)
    }

    func registerRecords(_ routes: inout RouteBuilder) {
        let server = self
        routes.add(
            .post, "/api/trainees", .action(.hireRecruit), summary: "Hire a recruit (opens their record).",
            fields: [
                .optional("id", .identifier, "trainee id (default: one derived from the Idempotency-Key)"),
                .required("name", .string(max: 200), "full name"),
                .required("badge", .string(max: 50), "employee or badge number"), .required("hireDate", .day, "hire date"),
            ]
        ) { call in
            let identity = try call.caller()
            let derived = try server.commandID(call, identity).uuidString.lowercased()
            let trainee = TraineeID(call.body.string("id") ?? derived)
            return try await server.record(call, on: .trainee(trainee)) { _, _ in
                .hireRecruit(
                    trainee: trainee, name: try call.body.require("name"), badge: try call.body.require("badge"),
                    hireDate: try call.body.requireDay("hireDate"), agency: server.configuration.agency)
            }
        }
        for operation in CommandOperation.all {
            routes.add(.post, operation.fullPath, .action(operation.action), summary: operation.summary, fields: operation.allFields) { call in
                let person = try call.requirePerson()
                let reference: FileReference = operation.record == .trainee ? .trainee(TraineeID(person)) : .officer(OfficerID(person))
                return try await server.record(call, on: reference) { identity, day in
                    try await operation.make(call.body, .init(actor: identity.actor, day: day, reference: reference, services: call.lease.services))
                }
            }
        }
        registerRecordReads(&routes)
    }

    // MARK: - Reading a person's record

    func registerRecordReads(_ routes: inout RouteBuilder) {
        let server = self
        routes.add(.get, "/api/trainees/{id}", .action(.readTrainee), summary: "A trainee's board row (from the read models).") { call in
            let person = try call.requirePerson()
            let view = try await call.lease.readModels.trainee(person)
            try await server.logRead(call, view: "trainee", found: view != nil)
            guard let view else { throw Problem.notFound("no trainee \(person) in the read models; check the id (or the projector is behind)") }
            return try Reply.json(view)
        }
        routes.add(
            .get, "/api/trainees/{id}/history", .action(.readHistory), summary: "Every entry of the record, as recorded, paged.",
            query: Page<Int>.queryNames
        ) { call in
            let (limit, offset) = try Page<Replay.Line>.window(call)
            let lines = try await call.lease.services.replay.history(.trainee(TraineeID(try call.requirePerson())))
            try await server.logRead(call, view: "history", found: !lines.isEmpty)
            guard !lines.isEmpty else { throw Problem.notFound("no trainee \(try call.requirePerson()); check the id") }
            return try Reply.json(Page(all: lines, limit: limit, offset: offset), headers: [.eTag: "\"\(lines.last?.version ?? 0)\""])
        }
        routes.add(
            .get, "/api/trainees/{id}/status", .action(.readStatus),
            summary: "The trainee's status as of a business date (asOf) or as the log knew it (knownAt), replayed from the log.",
            query: ["asOf", "knownAt"]
        ) { call in
            let asOf = try Self.dayQuery(call, "asOf")
            let knownAt = try Self.dayQuery(call, "knownAt")
            let services = call.lease.services
            let reference = FileReference.trainee(TraineeID(try call.requirePerson()))
            let file = try await services.replay.status(
                reference, asOf: asOf, knownAt: knownAt.map { EntryMapping.date($0.adding(days: 1)).addingTimeInterval(-0.000001) })
            try await server.logRead(call, view: "status", found: file.profile != nil)
            guard file.profile != nil else { throw Problem.notFound("no record of trainee \(try call.requirePerson()) at that point") }
            let day = asOf ?? knownAt ?? services.today
            return try Reply.json(StatusView(file, policy: try await services.training.policies().policy(on: day), on: day))
        }
        routes.add(
            .get, "/api/trainees/{id}/dors", .action(.readDORs), summary: "The trainee's Daily Observation Reports.", query: Page<Int>.queryNames
        ) {
            call in
            let (limit, offset) = try Page<DORView>.window(call)
            let (file, version) = try await call.lease.services.training.load(.trainee(TraineeID(try call.requirePerson())))
            try await server.logRead(call, view: "dors", found: file.profile != nil)
            guard file.profile != nil else { throw Problem.notFound("no trainee \(try call.requirePerson()); check the id") }
            let dors = (file.fieldTraining?.dorsInOrder ?? []).map(DORView.init)
            return try Reply.json(Page(all: dors, limit: limit, offset: offset), headers: [.eTag: "\"\(version)\""])
        }
        routes.add(.get, "/api/trainees/{id}/export", .action(.readExport), summary: "The whole record: every entry and today's status.") { call in
            let services = call.lease.services
            let reference = FileReference.trainee(TraineeID(try call.requirePerson()))
            let lines = try await services.replay.history(reference)
            try await server.logRead(call, view: "export", found: !lines.isEmpty)
            guard !lines.isEmpty else { throw Problem.notFound("no trainee \(try call.requirePerson()); check the id") }
            let file = try await services.replay.status(reference)
            let status = StatusView(file, policy: try await services.training.policies().policy(on: services.today), on: services.today)
            return try Reply.json(Export(history: lines, status: status), headers: [.eTag: "\"\(lines.last?.version ?? 0)\""])
        }
    }

    struct Export: Encodable, Sendable {
        var history: [Replay.Line]
        var status: StatusView
    }

    func logRead(_ call: Call, view: String, found: Bool) async throws {
        try await logRead(call.lease, call.identity, person: try call.requirePerson(), view: view, result: found ? "ok" : "not-found", call.context)
    }

    static func dayQuery(_ call: Call, _ name: String) throws -> Day? {
        guard let text = call.query(name) else { return nil }
        guard text.utf8.count == 10, let day = Day(text) else { throw Problem.badRequest("`\(name)` must be a date YYYY-MM-DD", field: name) }
        return day
    }
}

/// A record's status on a day: stage, phase, readiness gates, coursework, milestones.
struct StatusView: Encodable, Sendable {
    struct Gate: Encodable, Sendable {
        var name: String
        var passed: Bool
        var detail: String
    }
    struct Course: Encodable, Sendable {
        var type: String
        var status: String
    }
    struct Milestone: Encodable, Sendable {
        var name: String
        var expected: String
    }
    var name: String?
    var badge: String?
    var stage: String
    var asOf: String
    var phase: Int?
    var daysInPhase: Int?
    var openRemedial: [String]
    var unreadable: [String]
    var readyForSoloPatrol: Bool
    var soloGates: [Gate]
    var coursework: [Course]
    var milestones: [Milestone]

    init(_ file: PersonnelFile, policy: TrainingPolicy, on day: Day) {
        let readiness = TrainingDomain.Readiness.evaluate(file, policy: policy, on: day)
        let phase = file.fieldTraining?.currentPhase
        name = file.profile?.name
        badge = file.profile?.badge
        stage = file.stage.rawValue
        asOf = day.description
        self.phase = phase?.number
        daysInPhase = phase.map { $0.startedOn.distance(to: day) }
        openRemedial = file.fieldTraining?.openRemedial.map { "\($0.category.rawValue) due \($0.due)" } ?? []
        unreadable = file.unreadable.values.sorted { $0.version < $1.version }.map(\.summary)
        readyForSoloPatrol = readiness.readyForSoloPatrol
        soloGates = readiness.soloPatrol.map { Gate(name: $0.name, passed: $0.passed, detail: $0.detail) }
        coursework = readiness.coursework.map { Course(type: $0.type.rawValue, status: $0.currency.label) }
        milestones = readiness.milestones.map { Milestone(name: $0.name, expected: $0.expected.description) }
    }
}

/// One DOR as a reader sees it.
struct DORView: Encodable, Sendable {
    var entry: String
    var fto: String
    var shiftDate: String
    var phase: Int
    var ratings: [String: String]
    var narrative: String
    var acknowledged: String?
    var amended: Bool
    var rebuttals: [String]

    init(_ dor: DORRecord) {
        entry = dor.id.rawValue
        fto = dor.fto.rawValue
        shiftDate = dor.shiftDate.description
        phase = dor.phase
        ratings = Dictionary(uniqueKeysWithValues: dor.ratings.map { ($0.key.rawValue, $0.value.description) })
        narrative = dor.narrative
        acknowledged = dor.acknowledgement.map { ($0.signed ? "signed " : "refused ") + $0.on.description + ($0.note.map { ": \($0)" } ?? "") }
        amended = dor.amended
        rebuttals = dor.rebuttals
    }
}
