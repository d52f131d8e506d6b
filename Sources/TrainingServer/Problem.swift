import EventLog
import Foundation
import HTTPTypes
import Hummingbird
import TrainingDomain
import TrainingServices

/// An error answered as `application/problem+json` (RFC 9457): the status, a stable `type`
/// naming the rule, a `title`, and a `detail` in the domain's own words saying what to do next.
/// Extra members (`field`, `rule`, `currentVersion`, `until`) say which field or rule, and
/// never anything about the server's internals.
struct Problem: HTTPResponseError, Sendable {
    var status: HTTPResponse.Status
    /// A short name; the `type` member is `https://muster.invalid/problems/<kind>`.
    var kind: String
    var title: String
    var detail: String
    var field: String?
    var rule: String?
    var currentVersion: Int?
    var until: Date?
    var headers: HTTPFields = [:]

    init(
        _ status: HTTPResponse.Status, _ kind: String, _ title: String, detail: String, field: String? = nil, rule: String? = nil,
        currentVersion: Int? = nil, until: Date? = nil
    ) {
        self.status = status
        self.kind = kind
        self.title = title
        self.detail = detail
        self.field = field
        self.rule = rule
        self.currentVersion = currentVersion
        self.until = until
    }

    struct Body: Encodable {
        var type: String
        var title: String
        var status: Int
        var detail: String
        var instance: String?
        var field: String?
        var rule: String?
        var currentVersion: Int?
        var until: Date?
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        let body = Body(
            type: "https://muster.invalid/problems/\(kind)", title: title, status: Int(status.code), detail: detail,
            instance: (context as? MusterRequestContext)?.requestID, field: field, rule: rule, currentVersion: currentVersion, until: until)
        var headers = self.headers
        headers[.contentType] = "application/problem+json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(body))))
    }

    // MARK: - Common problems

    static func badRequest(_ detail: String, field: String? = nil) -> Problem {
        Problem(.badRequest, "invalid-request", "The request is not valid", detail: detail, field: field)
    }

    static func unauthorized(_ detail: String, kind: String = "not-signed-in") -> Problem {
        Problem(.unauthorized, kind, "Sign in required", detail: detail)
    }

    static func forbidden(_ detail: String, kind: String = "forbidden") -> Problem {
        Problem(.forbidden, kind, "Not allowed", detail: detail)
    }

    static func notFound(_ detail: String) -> Problem { Problem(.notFound, "not-found", "Not found", detail: detail) }

    /// Maps any error to the problem it answers as. Unknown errors become a bare 500 that names
    /// the request id (the log has the rest).
    static func from(_ error: any Error) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case let error as DomainError:
            let status: HTTPResponse.Status =
                switch error.rule {
                case .notAuthorized, .ownRecord, .userDisabled: .forbidden
                case .notHired, .unknownEntry, .unknownUser: .notFound
                case .alreadyRegistered, .alreadyHired: .conflict
                default: .unprocessableContent
                }
            return Problem(status, "rule/\(error.rule.rawValue)", "Refused by a training rule", detail: error.message, rule: error.rule.rawValue)
        case let error as EventLogError where error.code == .wrongExpectedVersion:
            let current = error.actualVersion ?? (error.cause as? EventLogError)?.actualVersion
            return Problem(
                .conflict, "version-conflict", "The record changed", detail: error.message + (current.map { " (current version \($0))" } ?? ""),
                currentVersion: current)
        case let error as EventLogError where error.code == .duplicateEvent:
            // The only way a request makes an entry id twice: an Idempotency-Key reused for another request.
            _ = error
            return Problem(
                .unprocessableContent, "idempotency-key-reused", "Idempotency-Key already used",
                detail: "this Idempotency-Key was already used for a different request; send a new key for a new request")
        case let error as EventLogError where error.code == .storageUnavailable:
            var problem = Problem(.serviceUnavailable, "database-unavailable", "The database is not answering", detail: "try again in a moment")
            problem.headers[HTTPField.Name("Retry-After")!] = "2"
            return problem
        case let error as EventLogError where error.code == .wrongAgency:
            return Problem(.forbidden, "wrong-agency", "Not this agency's record", detail: error.message)
        case let error as EventLogError
        where [.invalidValue, .invalidStreamName, .invalidJSON, .payloadTooLarge, .invalidEventID].contains(error.code):
            return Problem(.badRequest, "invalid-value", "A value was refused", detail: error.message)
        case let error as ConnectionPool.PoolExhausted:
            var problem = Problem(.serviceUnavailable, "busy", "The server is busy", detail: error.description)
            problem.headers[HTTPField.Name("Retry-After")!] = "1"
            return problem
        case let error as AccountError:
            return account(error)
        case let error as any HTTPResponseError:
            let status = error.status
            if status == .contentTooLarge {
                return Problem(
                    status, "too-large", "The body is too large", detail: "a request body may have at most \(MusterRequestContext.maxBody) bytes")
            }
            if status == .notFound { return notFound("no such resource; see /api/openapi.json for the operations") }
            if status == .methodNotAllowed {
                return Problem(status, "method-not-allowed", "Method not allowed", detail: "see /api/openapi.json for the operations")
            }
            let message = (error as? HTTPError)?.body ?? status.reasonPhrase
            return Problem(status, "invalid-request", status.reasonPhrase, detail: message)
        default:
            return Problem(.internalServerError, "internal", "Something went wrong", detail: "the request failed; quote its id to the operator")
        }
    }

    static func account(_ error: AccountError) -> Problem {
        switch error.code {
        case .invalidCredentials, .secondFactorInvalid:
            return Problem(.unauthorized, "invalid-credentials", "Sign-in refused", detail: error.message)
        case .secondFactorRequired:
            return Problem(.unauthorized, "second-factor-required", "Second factor required", detail: error.message)
        case .sessionInvalid, .tokenInvalid:
            return Problem(.unauthorized, "not-signed-in", "Sign in required", detail: error.message)
        case .locked:
            var problem = Problem(
                HTTPResponse.Status(code: 423, reasonPhrase: "Locked"), "account-locked", "Account locked", detail: error.message, until: error.until)
            if let until = error.until { problem.headers[HTTPField.Name("Retry-After")!] = "\(max(1, Int(until.timeIntervalSinceNow.rounded(.up))))" }
            return problem
        case .throttled:
            var problem = Problem(.tooManyRequests, "throttled", "Too many failed sign-ins", detail: error.message, until: error.until)
            if let until = error.until { problem.headers[HTTPField.Name("Retry-After")!] = "\(max(1, Int(until.timeIntervalSinceNow.rounded(.up))))" }
            return problem
        case .confirmationRequired:
            return Problem(.forbidden, "confirmation-required", "Confirm it is you", detail: error.message)
        case .secondFactorEnrollmentRequired:
            return Problem(.forbidden, "second-factor-enrollment-required", "Enroll a second factor", detail: error.message)
        case .notFound:
            return notFound(error.message)
        case .notConfigured:
            return Problem(.serviceUnavailable, "not-configured", "Not configured", detail: error.message)
        case .invitationInvalid, .passwordRejected:
            return Problem(.unprocessableContent, "enrollment-refused", "Enrollment refused", detail: error.message)
        default:
            return Problem(.forbidden, "forbidden", "Not allowed", detail: error.message)
        }
    }
}
