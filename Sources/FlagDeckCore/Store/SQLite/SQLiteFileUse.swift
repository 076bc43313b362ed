import Foundation

/// Whether another process has an SQLite database open, read from SQLite's own locks.
/// In WAL mode every connection holds a shared lock on the "dead man switch" byte of the
/// `-shm` file for as long as it is open (os_unix.c: UNIX_SHM_DMS, offset 128), idle or
/// not. A process that wants to delete or replace a database and its WAL must first know
/// nobody else is using it: deleting a WAL under a live writer loses its commits.
extension SQLiteStore {
    static let shmDeadManSwitchOffset: off_t = 128

    /// True when a process other than this one holds the database open. POSIX record
    /// locks are per process, so this process's own connections never count.
    public static func isOpenElsewhere(path: String) -> Bool {
        let shm = path + "-shm"
        let fd = open(shm, O_RDONLY)
        guard fd >= 0 else { return false }  // no -shm: nobody has it open in WAL mode
        defer { close(fd) }
        var lock = flock()
        lock.l_type = Int16(F_WRLCK)
        lock.l_whence = Int16(SEEK_SET)
        lock.l_start = shmDeadManSwitchOffset
        lock.l_len = 1
        guard fcntl(fd, F_GETLK, &lock) == 0 else { return true }  // cannot tell: assume in use
        return lock.l_type != Int16(F_UNLCK)
    }
}
