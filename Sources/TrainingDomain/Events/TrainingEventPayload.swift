/// One kind of fact in the log. Its stored `type` name is part of the public record and never
/// changes; `schemaVersion` counts payload shapes (older shapes are upcast on read).
public protocol TrainingEventPayload: Codable, Hashable, Sendable {
    static var type: String { get }
    static var schemaVersion: Int { get }
}

extension TrainingEventPayload {
    public static var schemaVersion: Int { 1 }
}
