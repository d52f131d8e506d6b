// The record about itself: entries that cannot be read, and an operator's decision on them.

/// A stored entry today's code cannot read (an unknown type, an unknown schema version, a
/// payload that does not decode). Never stored: the read side puts it where the entry stands,
/// so the record shows it as such instead of failing, and nothing more is recorded on the file
/// until an operator decides what to do with it.
public struct UnreadableEntry: TrainingEventPayload {
    public static let type = "record.unreadable"
    /// The stored type name and schema version of the entry.
    public var storedType: String
    public var storedSchemaVersion: Int
    /// The stream version it stands at.
    public var version: Int
    /// Why it cannot be read, in words.
    public var reason: String
    public init(storedType: String, storedSchemaVersion: Int, version: Int, reason: String) {
        self.storedType = storedType
        self.storedSchemaVersion = storedSchemaVersion
        self.version = version
        self.reason = reason
    }

    public var summary: String { "entry at version \(version) (\(storedType) v\(storedSchemaVersion)) cannot be read: \(reason)" }
}

/// An operator's recorded decision on an unreadable entry: set it aside (it no longer counts),
/// or confirm that today's code reads it again.
public struct UnreadableEntryResolved: TrainingEventPayload {
    public static let type = "record.unreadable-entry-resolved.v1"
    public enum Resolution: String, Codable, Hashable, Sendable, CaseIterable {
        case setAside = "set_aside"
        case reread
    }
    public var entry: EntryID
    public var resolution: Resolution
    public var reason: String
    public init(entry: EntryID, resolution: Resolution, reason: String) {
        self.entry = entry
        self.resolution = resolution
        self.reason = reason
    }
}
