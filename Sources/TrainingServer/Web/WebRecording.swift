import CompactJSON
import CoreMetrics
import EventLog
import Foundation
import HTTPTypes
import Hummingbird
import TrainingDomain
import TrainingRecords
import TrainingServices

/// Recording from a web form: the same commands, permission table and signature rule as the
/// API. The form's fields are the operation's fields (ratings as `rating.<category>`, lists as
/// repeated fields); `_key` is the report's idempotency key (made once, when the form was
/// drawn, so a resend records once); a signature re-enters the password in `_password`.
extension WebCall {
    static let keyField = "_key"
    static let passwordField = "_password"

    /// The operation's checked body from the form.
    func body(for operation: CommandOperation) throws -> Body {
        var object: [String: JSONValue] = [:]
        for field in operation.allFields {
            switch field.type {
            case .ratings:
                var ratings: [String: JSONValue] = [:]
                for (category, value) in form.prefixed("rating.") where !value.isEmpty { ratings[category] = .string(value) }
                if !ratings.isEmpty { object[field.name] = .object(ratings) }
            case .categories:
                let items = form.all(field.name).filter { !$0.isEmpty }
                if !items.isEmpty { object[field.name] = .array(items.map(JSONValue.string)) }
            case .integer, .number:
                guard let text = form.string(field.name) else { continue }
                guard let number = Double(text) else { throw Problem.badRequest("`\(field.name)` must be a number", field: field.name) }
                object[field.name] = .number(number)
            case .boolean:
                if let text = form.string(field.name) { object[field.name] = .bool(["true", "on", "yes", "1"].contains(text.lowercased())) }
            default:
                if let text = form.string(field.name) { object[field.name] = .string(text) }
            }
        }
        try Body.check(object, against: operation.allFields)
        return Body(values: object)
    }

    /// The caller's identity, confirmed by the password in the form when the action is a
    /// signature (the same five-minute confirmation the API asks for).
    func signer(for action: Permissions.Action) async throws -> Identity {
        let identity = try caller()
        guard Permissions.signatures.contains(action) else { return identity }
        guard let session = identity.session else { throw Problem.forbidden("a signature is made from your own session") }
        var signer = identity
        if let password = form.raw(Self.passwordField) {
            let confirmed = try await lease.accounts.confirm(session, password: password, code: nil, address: context.clientAddress)
            signer = Identity(actor: identity.actor, credential: .session(confirmed), roster: identity.roster)
        }
        try server.checkSignature(signer, lease)
        return signer
    }

    /// Records `action` on `person`'s record from this form; returns the events (a resend with
    /// the same `_key` returns the first recording's).
    func record(_ action: Permissions.Action, on person: String) async throws -> [RecordedEvent] {
        guard let operation = CommandOperation.all.first(where: { $0.action == action }) else {
            throw Problem.notFound("no such recording")
        }
        let identity = try await signer(for: action)
        guard let key = form.string(Self.keyField) ?? request.headers[MusterServer.idempotencyHeader],
            (1...200).contains(key.utf8.count), key.utf8.allSatisfy({ (0x21...0x7e).contains($0) })
        else { throw Problem.badRequest("the form lost its report key; open the form again", field: Self.keyField) }
        let body = try body(for: operation)
        let reference: FileReference = operation.record == .trainee ? .trainee(TraineeID(person)) : .officer(OfficerID(person))
        let provenance = Provenance(
            source: "web", commandID: MusterServer.commandID(user: identity.actor.id, key: key), authentication: identity.authentication,
            requestID: context.requestID)
        let services = lease.services
        let day = body.day("date") ?? services.today
        let command = try await operation.make(body, .init(actor: identity.actor, day: day, reference: reference, services: services))
        let events = try await services.training.record(command, on: reference, by: identity.actor, provenance: provenance)
        if events.first?.metadata.requestID == context.requestID { ServerMetrics.appendedEvents.increment(by: events.count) }
        return events
    }

    /// A new idempotency key for a form.
    static func newKey() -> String { UUID().uuidString.lowercased() }
}
