import Foundation

/// One textual form per JSON value: keys sorted, no insignificant whitespace, numbers and
/// strings written one way. Payloads are stored in this form and hashed in it, and
/// PostgreSQL's `jsonb` text is brought back to it before verification, so the two agree.
public enum CanonicalJSON {
    /// Largest payload accepted, in bytes of canonical JSON.
    public static let maximumBytes = 1 << 20

    /// Parses `text` and writes it canonically.
    ///
    /// - Parameter requireObject: refuse arrays and scalars at the top level.
    /// - Throws: ``EventLogError`` `invalidJSON` naming `field`, or `payloadTooLarge`.
    public static func canonicalize(_ text: String, field: String, requireObject: Bool = true) throws -> String {
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        } catch {
            throw EventLogError(code: .invalidJSON, message: "\(field) is not valid JSON: \(Self.reason(error))")
        }
        if requireObject && !(value is [String: Any]) {
            throw EventLogError(code: .invalidJSON, message: "\(field) must be a JSON object ({...})")
        }
        let data: Data
        do {
            data = try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed])
        } catch {
            throw EventLogError(code: .invalidJSON, message: "\(field) cannot be written as JSON: \(Self.reason(error))")
        }
        guard data.count <= maximumBytes else {
            throw EventLogError(
                code: .payloadTooLarge,
                message: "\(field) is \(data.count) bytes; the limit is \(maximumBytes) bytes. Store large documents elsewhere and record a reference"
            )
        }
        return String(decoding: data, as: UTF8.self)
    }

    private static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        return (nsError.userInfo[NSDebugDescriptionErrorKey] as? String) ?? "could not be parsed"
    }
}
