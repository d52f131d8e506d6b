internal import CLibPQ

/// The rows of one statement's result. Owns its `PGresult` and frees it on deinit, so every
/// path that drops the value frees the memory.
public final class PostgresRows {
    let result: OpaquePointer
    /// Number of rows.
    public let count: Int
    public let columnCount: Int
    /// Rows affected by INSERT/UPDATE/DELETE/COPY (`PQcmdTuples`), 0 when not applicable.
    public let affectedRows: Int

    init(taking result: OpaquePointer) {
        self.result = result
        self.count = Int(PQntuples(result))
        self.columnCount = Int(PQnfields(result))
        self.affectedRows = Int(String(cString: PQcmdTuples(result))) ?? 0
    }

    deinit { PQclear(result) }

    public func columnName(_ column: Int) -> String {
        String(cString: PQfname(result, Int32(column)))
    }

    public func isNull(row: Int, column: Int) -> Bool {
        PQgetisnull(result, Int32(row), Int32(column)) == 1
    }

    /// The raw field. The buffer is valid while `self` is alive.
    public func cell(row: Int, column: Int) -> PostgresCell {
        let r = Int32(row)
        let c = Int32(column)
        let length = Int(PQgetlength(result, r, c))
        let pointer = UnsafeRawPointer(PQgetvalue(result, r, c)!)
        return PostgresCell(
            type: PQftype(result, c),
            isBinary: PQfformat(result, c) == 1,
            bytes: UnsafeRawBufferPointer(start: pointer, count: length),
            column: column
        )
    }

    /// Decodes a field; a NULL is an error unless `T` is optional.
    public func decode<T: PostgresDecodable>(_: T.Type, row: Int, column: Int) throws -> T {
        guard !isNull(row: row, column: column) else { return try T.decodeNull(column: columnName(column)) }
        return try T(cell: cell(row: row, column: column))
    }

    /// Decodes a field that may be NULL.
    public func decodeIfPresent<T: PostgresDecodable>(_: T.Type, row: Int, column: Int) throws -> T? {
        isNull(row: row, column: column) ? nil : try T(cell: cell(row: row, column: column))
    }

    /// Decodes one row as a tuple of the given types, column by column (optional types accept
    /// NULL). The row must have exactly as many columns as there are types.
    ///
    /// ```swift
    /// let (name, phase) = try rows.decodeRow(0, as: String.self, Int?.self)
    /// ```
    public func decodeRow<each T: PostgresDecodable>(_ row: Int, as types: repeat (each T).Type) throws -> (repeat each T) {
        var column = 0
        func next<U: PostgresDecodable>(_: U.Type) throws -> U {
            defer { column += 1 }
            guard column < columnCount else {
                throw PostgresError(code: .decoding, message: "the result has \(columnCount) columns; more were asked for")
            }
            return try decode(U.self, row: row, column: column)
        }
        let values = (repeat try next(each types))
        guard column == columnCount else {
            throw PostgresError(code: .decoding, message: "the result has \(columnCount) columns; \(column) were decoded")
        }
        return values
    }

    /// Every row as a tuple of the given types (see ``decodeRow(_:as:)``).
    public func decodeAll<each T: PostgresDecodable>(as types: repeat (each T).Type) throws -> [(repeat each T)] {
        try (0..<count).map { row in try decodeRow(row, as: repeat each types) }
    }
}
