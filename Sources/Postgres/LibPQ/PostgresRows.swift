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

    /// Decodes a non-null field.
    public func decode<T: PostgresDecodable>(_: T.Type, row: Int, column: Int) throws -> T {
        guard !isNull(row: row, column: column) else {
            throw PostgresError(code: .decoding, message: "column \(columnName(column)) is NULL; expected \(T.self)")
        }
        return try T(cell: cell(row: row, column: column))
    }

    /// Decodes a field that may be NULL.
    public func decodeIfPresent<T: PostgresDecodable>(_: T.Type, row: Int, column: Int) throws -> T? {
        isNull(row: row, column: column) ? nil : try T(cell: cell(row: row, column: column))
    }
}
