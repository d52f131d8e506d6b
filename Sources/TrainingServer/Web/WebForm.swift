import Foundation
import Hummingbird

/// An `application/x-www-form-urlencoded` body (or a page's query), name → values in order.
struct WebForm: Sendable {
    var values: [String: [String]] = [:]

    static let csrfField = "_csrf"
    static let maxBytes = 64 * 1024

    init(values: [String: [String]] = [:]) { self.values = values }

    /// Parses `a=1&b=two+words&c=%3C`.
    init(encoded text: Substring) {
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            guard !name.isEmpty else { continue }
            values[name, default: []].append(value)
        }
    }

    static func decode(_ part: Substring) -> String {
        let spaced = part.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    /// Reads a POST body (refusing a larger one than a DOR needs).
    static func read(_ request: Request) async throws -> WebForm {
        guard request.method == .post else { return WebForm() }
        let buffer = try await request.body.collect(upTo: maxBytes)
        return WebForm(encoded: Substring(String(buffer: buffer)))
    }

    /// The value, trimmed; nil when absent or blank.
    func string(_ name: String) -> String? {
        guard let value = values[name]?.first?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    /// The raw value (a password keeps its spaces).
    func raw(_ name: String) -> String? {
        guard let value = values[name]?.first, !value.isEmpty else { return nil }
        return value
    }

    func all(_ name: String) -> [String] { values[name] ?? [] }

    /// Fields whose name starts with `prefix`, without it.
    func prefixed(_ prefix: String) -> [(String, String)] {
        values.compactMap { name, values in
            guard name.hasPrefix(prefix), let value = values.first else { return nil }
            return (String(name.dropFirst(prefix.count)), value)
        }.sorted { $0.0 < $1.0 }
    }
}
