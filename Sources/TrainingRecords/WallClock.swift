public import Foundation
public import TrainingDomain

/// The one clock: every "now" and "today" comes from the value the executable creates at its
/// edge (tests pass a fixed one). Business days are calendar days in UTC, as stored.
public struct WallClock: Sendable {
    public let now: @Sendable () -> Date

    public init(now: @escaping @Sendable () -> Date) {
        self.now = now
    }

    public static let system = WallClock { Date() }

    /// A clock that always says `day`, at noon UTC.
    public static func fixed(_ day: Day) -> WallClock {
        let date = EntryMapping.date(day).addingTimeInterval(12 * 3600)
        return WallClock { date }
    }

    public var today: Day { EntryMapping.day(now()) }
}
