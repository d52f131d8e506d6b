@preconcurrency import Crypto
import EventLog
import Foundation

/// Random secrets and their stored forms.
enum Secrets {
    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// 32 random bytes, base64url without padding: session cookies and bearer tokens.
    static func token(prefix: String = "") -> String { prefix + base64url(randomBytes(32)) }

    static func base64url(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func sha256(_ text: String) -> [UInt8] { EventHash.sha256(Array(text.utf8)) }

    /// Crockford's base32 without I, L, O, U: readable aloud, typed by hand.
    static let codeAlphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    /// 100 random bits as five groups of four characters: `7KQ2-M9XD-…`.
    static func enrollmentCode() -> String {
        let bytes = randomBytes(20)
        let characters = bytes.map { codeAlphabet[Int($0 & 31)] }
        return stride(from: 0, to: 20, by: 4).map { String(characters[$0..<$0 + 4]) }.joined(separator: "-")
    }

    /// A code as typed: case and separators do not matter.
    static func normalizedCode(_ code: String) -> String {
        String(code.uppercased().filter { $0.isLetter || $0.isNumber })
    }

    /// Compares without stopping at the first difference.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// The server's key for sealing second-factor secrets at rest (AES-GCM): 32 bytes, given as
/// base64 in `MUSTER_SECRET_KEY` or a file. Never stored in the database.
public struct SecretKey: Sendable {
    let key: SymmetricKey

    /// - Throws: `AccountError` `notConfigured` when `base64` is not 32 bytes of base64.
    public init(base64: String) throws {
        guard let data = Data(base64Encoded: base64.trimmingCharacters(in: .whitespacesAndNewlines)), data.count == 32 else {
            throw AccountError(.notConfigured, "the secret key must be 32 bytes in base64 (make one with `muster serve --new-secret-key`)")
        }
        key = SymmetricKey(data: data)
    }

    /// A new random key, in base64.
    public static func generate() -> String { Data(Secrets.randomBytes(32)).base64EncodedString() }

    func seal(_ plaintext: [UInt8]) throws -> [UInt8] {
        guard let combined = try AES.GCM.seal(plaintext, using: key).combined else {
            throw AccountError(.notConfigured, "cannot seal the second-factor key")
        }
        return Array(combined)
    }

    func open(_ sealed: [UInt8]) throws -> [UInt8] {
        do {
            return Array(try AES.GCM.open(AES.GCM.SealedBox(combined: sealed), using: key))
        } catch {
            throw AccountError(
                .notConfigured, "a second-factor key cannot be opened with this server's secret key; was MUSTER_SECRET_KEY changed?")
        }
    }
}
