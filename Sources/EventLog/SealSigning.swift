import Crypto
import Foundation

/// The Ed25519 key that signs seals. It lives outside the database (a file readable by the
/// sealer only), so someone who can rewrite every table still cannot make a seal that verifies.
public struct SealSigningKey: Sendable {
    /// The 32-byte Ed25519 private key (the Crypto types are not `Sendable`).
    let raw: [UInt8]
    var key: Curve25519.Signing.PrivateKey {
        // `raw` was checked when the value was made.
        try! Curve25519.Signing.PrivateKey(rawRepresentation: raw)
    }

    /// A new random key.
    public static func generate() -> SealSigningKey { SealSigningKey(key: Curve25519.Signing.PrivateKey()) }

    public var verifyingKey: SealVerifyingKey { SealVerifyingKey(key: key.publicKey) }

    public func signature(for sealHash: [UInt8]) throws -> [UInt8] { Array(try key.signature(for: sealHash)) }

    static let label = "MUSTER SEAL PRIVATE KEY"

    /// The key file's text (PEM-like: a label around the base64 of the 32-byte key).
    public var fileText: String { KeyFile.write(label: Self.label, bytes: raw) }

    /// - Throws: ``EventLogError`` `invalidKey` saying what is wrong with the text.
    public init(fileText: String) throws {
        let bytes = try KeyFile.read(fileText, label: Self.label)
        guard (try? Curve25519.Signing.PrivateKey(rawRepresentation: bytes)) != nil else {
            throw EventLogError(code: .invalidKey, message: "the seal signing key is not a valid Ed25519 private key")
        }
        raw = bytes
    }

    init(key: Curve25519.Signing.PrivateKey) { raw = Array(key.rawRepresentation) }
}

/// The public half: what anyone verifying seals needs.
public struct SealVerifyingKey: Sendable {
    /// The 32-byte Ed25519 public key.
    let raw: [UInt8]
    var key: Curve25519.Signing.PublicKey {
        // `raw` was checked when the value was made.
        try! Curve25519.Signing.PublicKey(rawRepresentation: raw)
    }

    static let label = "MUSTER SEAL PUBLIC KEY"

    /// A short name for the key: the first 16 hex digits of SHA-256 of its 32 bytes.
    public var id: String { String(HexBytes.encode(EventHash.sha256(raw)).prefix(16)) }

    public var fileText: String { KeyFile.write(label: Self.label, bytes: raw) }

    public init(fileText: String) throws {
        let bytes = try KeyFile.read(fileText, label: Self.label)
        guard (try? Curve25519.Signing.PublicKey(rawRepresentation: bytes)) != nil else {
            throw EventLogError(code: .invalidKey, message: "the seal verifying key is not a valid Ed25519 public key")
        }
        raw = bytes
    }

    init(key: Curve25519.Signing.PublicKey) { raw = Array(key.rawRepresentation) }

    public func isValidSignature(_ signature: [UInt8], for sealHash: [UInt8]) -> Bool {
        key.isValidSignature(signature, for: sealHash)
    }
}

enum KeyFile {
    static func write(label: String, bytes: [UInt8]) -> String {
        "-----BEGIN \(label)-----\n\(Data(bytes).base64EncodedString())\n-----END \(label)-----\n"
    }

    static func read(_ text: String, label: String) throws -> [UInt8] {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        guard lines.count == 3, lines[0] == "-----BEGIN \(label)-----", lines[2] == "-----END \(label)-----" else {
            let other = label.contains("PRIVATE") ? "public" : "private"
            throw EventLogError(
                code: .invalidKey,
                message:
                    "this is not a \(label.lowercased()) file (-----BEGIN \(label)-----); is it the \(other) key? `muster audit keygen` makes both")
        }
        guard let data = Data(base64Encoded: lines[1]), data.count == 32 else {
            throw EventLogError(code: .invalidKey, message: "the \(label.lowercased()) is damaged: expected 32 bytes in base64")
        }
        return Array(data)
    }
}
