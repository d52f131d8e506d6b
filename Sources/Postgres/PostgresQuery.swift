/// SQL text plus its bound parameters.
///
/// Interpolated values never become SQL text: each `\(value)` becomes `$n` and its value is
/// sent separately. Raw SQL fragments must say so with `\(unsafeSQL: ...)`.
///
/// ```swift
/// let query: PostgresQuery = "SELECT * FROM muster.events WHERE stream_id = \(stream)"
/// ```
public struct PostgresQuery: Sendable, ExpressibleByStringInterpolation {
    public var sql: String
    public var bindings: PostgresBindings

    public init(unsafeSQL sql: String, bindings: PostgresBindings = PostgresBindings()) {
        self.sql = sql
        self.bindings = bindings
    }

    public init(stringLiteral value: String) {
        self.init(unsafeSQL: value)
    }

    public init(stringInterpolation: StringInterpolation) {
        self.init(unsafeSQL: stringInterpolation.sql, bindings: stringInterpolation.bindings)
    }

    public struct StringInterpolation: StringInterpolationProtocol {
        var sql = ""
        var bindings = PostgresBindings()

        public init(literalCapacity: Int, interpolationCount: Int) {
            sql.reserveCapacity(literalCapacity + interpolationCount * 3)
        }

        public mutating func appendLiteral(_ literal: String) {
            sql += literal
        }

        public mutating func appendInterpolation(_ value: some PostgresEncodable) {
            bindings.append(value)
            sql += "$\(bindings.count)"
        }

        public mutating func appendInterpolation(_ value: (some PostgresEncodable)?) {
            if let value { bindings.append(value) } else { bindings.appendNull() }
            sql += "$\(bindings.count)"
        }

        /// Appends SQL text as it is. Only for fragments the program wrote itself.
        public mutating func appendInterpolation(unsafeSQL fragment: String) {
            sql += fragment
        }
    }
}

/// Bound parameter values in libpq's wire form: a type OID, a format (0 text, 1 binary)
/// and the bytes, or `nil` for SQL NULL.
public struct PostgresBindings: Sendable {
    var types: [UInt32] = []
    var formats: [Int32] = []
    var values: [[UInt8]?] = []

    public init() {}

    public var count: Int { values.count }

    public mutating func append(_ value: some PostgresEncodable) {
        var bytes: [UInt8] = []
        value.encode(into: &bytes)
        types.append(type(of: value).postgresType)
        formats.append(type(of: value).postgresFormat)
        values.append(bytes)
    }

    public mutating func appendNull() {
        types.append(0)
        formats.append(0)
        values.append(nil)
    }
}
