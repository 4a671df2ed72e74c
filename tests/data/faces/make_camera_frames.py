#!/usr/bin/python3
# Makes the camera frames and the centre's licence photo the PIN unlock's tests use, from the
# labelled faces in lfw/ (README.md): run it again after changing those, and commit what it writes.
# Debian's python3-opencv and qrencode; nothing else.
#   tests/data/faces/make_camera_frames.py
import os
import subprocess

import cv2
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
FRAMES = os.path.join(ROOT, "tests", "scenarios", "camera")
FIXTURE_FACES = os.path.join(ROOT, "devices", "sim", "fixtures", "faces")
# The demo's camera (the embedded default): the appointment's QR code, then the holder's face.
DEMO_CAMERA = os.path.join(ROOT, "devices", "sim", "fixtures", "camera")

# sato-ichiro of the fixtures is played by John Simm: his licence photo (the centre's) and, taken
# another day, his face at the kiosk; a stranger's face for the refusals.
LICENCE_PHOTO = "John_Simm/000300_00470148.jpg"
HOLDER_AT_KIOSK = "John_Simm/000304_00470122.jpg"
STRANGER_AT_KIOSK = "John_Shimkus/000388_03227773.jpg"


def camera_frame(face, width=640, height=480):
    """A face crop, twice its size, in the middle of a plain grey frame: a person at the kiosk."""
    face = cv2.resize(face, None, fx=2.0, fy=2.0, interpolation=cv2.INTER_CUBIC)
    frame = np.full((height, width, 3), 128, np.uint8)
    h, w = face.shape[:2]
    y, x = (height - h) // 2, (width - w) // 2
    frame[y:y + h, x:x + w] = face
    return frame


def licence_photo(face):
    """The centre's photo: greyscale, 24:30, the face filling most of it."""
    grey = cv2.cvtColor(face, cv2.COLOR_BGR2GRAY)
    grey = cv2.resize(grey, None, fx=2.0, fy=2.0, interpolation=cv2.INTER_CUBIC)
    h, w = grey.shape
    photo = np.full((int(w * 30 / 24) + 60, w + 48), 200, np.uint8)
    y, x = (photo.shape[0] - h) // 2, (photo.shape[1] - w) // 2
    photo[y:y + h, x:x + w] = grey
    return photo


def qr_frame(text, path):
    """The appointment's QR code on paper held up to the camera."""
    tmp = path + ".tmp.png"
    subprocess.run(["qrencode", "-o", tmp, "-s", "6", "-m", "4", text], check=True)
    code = cv2.imread(tmp, cv2.IMREAD_COLOR)
    os.remove(tmp)
    frame = np.full((480, 640, 3), 90, np.uint8)
    h, w = code.shape[:2]
    y, x = (480 - h) // 2, (640 - w) // 2
    frame[y:y + h, x:x + w] = code
    cv2.imwrite(path, frame)


def main():
    os.makedirs(FRAMES, exist_ok=True)
    os.makedirs(FIXTURE_FACES, exist_ok=True)
    lfw = os.path.join(HERE, "lfw")
    cv2.imwrite(os.path.join(FIXTURE_FACES, "sato-ichiro.jpg"),
                licence_photo(cv2.imread(os.path.join(lfw, LICENCE_PHOTO))),
                [cv2.IMWRITE_JPEG_QUALITY, 90])
    cv2.imwrite(os.path.join(FRAMES, "sato-ichiro.jpg"),
                camera_frame(cv2.imread(os.path.join(lfw, HOLDER_AT_KIOSK))),
                [cv2.IMWRITE_JPEG_QUALITY, 90])
    cv2.imwrite(os.path.join(FRAMES, "stranger.jpg"),
                camera_frame(cv2.imread(os.path.join(lfw, STRANGER_AT_KIOSK))),
                [cv2.IMWRITE_JPEG_QUALITY, 90])
    qr_frame("mynakiosk:appointment:20260001", os.path.join(FRAMES, "appointment-qr.png"))
    qr_frame("https://myna.go.jp/", os.path.join(FRAMES, "website-qr.png"))
    os.makedirs(DEMO_CAMERA, exist_ok=True)
    qr_frame("mynakiosk:appointment:20260001", os.path.join(DEMO_CAMERA, "1-appointment-qr.png"))
    cv2.imwrite(os.path.join(DEMO_CAMERA, "2-sato-ichiro.jpg"),
                camera_frame(cv2.imread(os.path.join(lfw, HOLDER_AT_KIOSK))),
                [cv2.IMWRITE_JPEG_QUALITY, 90])


if __name__ == "__main__":
    main()
