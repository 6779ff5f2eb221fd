package dev.microbatch.engine.checkpoint;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PosixLocalFileSystemTest {
  @TempDir java.nio.file.Path dir;

  @Test
  void createsFilesAndDirectoriesWithTheModesOfHadoopsOwnLocalFileSystem() throws Exception {
    FileSystem stock = initialized(new RawLocalFileSystem());
    FileSystem ours = initialized(new PosixLocalFileSystem());
    for (String kind : new String[] {"stock", "ours"}) {
      FileSystem fs = kind.equals("stock") ? stock : ours;
      fs.mkdirs(new Path(dir.resolve(kind + "-dir").toUri()));
      try (FSDataOutputStream out = fs.create(new Path(dir.resolve(kind + "-file").toUri()), false)) {
        out.write(1);
      }
    }
    assertThat(mode("ours-dir"), equalTo(mode("stock-dir")));
    assertThat(mode("ours-file"), equalTo(mode("stock-file")));
  }

  @Test
  void setsEveryPermissionBitAsAsked() throws Exception {
    FileSystem ours = initialized(new PosixLocalFileSystem());
    java.nio.file.Path file = Files.createFile(dir.resolve("f"));
    for (String mode : new String[] {"rwxr-x---", "r--------", "rw-rw-rw-", "-wx-w---x"}) {
      ours.setPermission(new Path(file.toUri()), FsPermission.valueOf("-" + mode));
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), equalTo(mode));
    }
  }

  private String mode(String name) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(name)));
  }

  private static FileSystem initialized(FileSystem fs) throws Exception {
    fs.initialize(java.net.URI.create("file:///"), new Configuration());
    return fs;
  }
}
