// Every family of ioctl requests tstrace decodes. A new family is a module in this folder and
// one line here.
import type { IoctlFamily } from './family.js';
import { SOCKET_IOCTLS } from './sock.js';
import { TERMINAL_IOCTLS } from './term.js';
// part a (suite-ioctl-a): block, counter, evdev, gpio, hdio, inotify, kd, lirc, loop, mtd, nbd,
// nsfs, random, rtc, ubi, watchdog
import { BLOCK_IOCTLS } from './block.js';
import { COUNTER_IOCTLS } from './counter.js';
import { EVDEV_IOCTLS } from './evdev.js';
import { GPIO_IOCTLS } from './gpio.js';
import { HDIO_IOCTLS } from './hdio.js';
import { INOTIFY_IOCTLS } from './inotify.js';
import { KD_IOCTLS } from './kd.js';
import { LIRC_IOCTLS } from './lirc.js';
import { LOOP_IOCTLS } from './loop.js';
import { MTD_IOCTLS } from './mtd.js';
import { NBD_IOCTLS } from './nbd.js';
import { NSFS_IOCTLS } from './nsfs.js';
import { RANDOM_IOCTLS } from './random.js';
import { RTC_IOCTLS } from './rtc.js';
import { UBI_IOCTLS } from './ubi.js';
import { WATCHDOG_IOCTLS } from './watchdog.js';
// end of part a
// part b (suite-ioctl-b): dm, fs 'f' and 'X', perf, ptp, scsi, seccomp
import { DM_IOCTLS } from './dm.js';
import { FS_F_IOCTLS, FS_X_IOCTLS } from './fs.js';
import { PERF_IOCTLS } from './perf.js';
import { PTP_IOCTLS } from './ptp.js';
import { SCSI_IOCTLS } from './scsi.js';
import { SECCOMP_IOCTLS } from './seccomp.js';
// end of part b
// part c (suite-ioctl-c): v4l2, tee, btrfs (0x94), uffdio
import { BTRFS_IOCTLS } from './btrfs.js';
import { TEE_IOCTLS } from './tee.js';
import { UFFDIO_IOCTLS } from './uffdio.js';
import { V4L2_IOCTLS } from './v4l2.js';
// end of part c

export const IOCTL_FAMILIES: readonly IoctlFamily[] = [
  TERMINAL_IOCTLS,
  SOCKET_IOCTLS,
  // part a (suite-ioctl-a)
  BLOCK_IOCTLS, COUNTER_IOCTLS, EVDEV_IOCTLS, GPIO_IOCTLS, HDIO_IOCTLS, INOTIFY_IOCTLS, KD_IOCTLS, LIRC_IOCTLS, LOOP_IOCTLS, MTD_IOCTLS, NBD_IOCTLS,
  NSFS_IOCTLS, RANDOM_IOCTLS, RTC_IOCTLS, UBI_IOCTLS, WATCHDOG_IOCTLS,
  // end of part a
  // part b (suite-ioctl-b)
  FS_F_IOCTLS, FS_X_IOCTLS, SECCOMP_IOCTLS, PTP_IOCTLS, SCSI_IOCTLS, DM_IOCTLS, PERF_IOCTLS,
  // end of part b
  // part c (suite-ioctl-c)
  V4L2_IOCTLS, TEE_IOCTLS, BTRFS_IOCTLS, UFFDIO_IOCTLS,
  // end of part c
];
