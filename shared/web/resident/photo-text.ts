/**
 * The words of the report form's photo field, in both page languages. Only the script shows the
 * field (a browser without JavaScript cannot upload to S3, and its report goes without photos).
 */
import type { PageLanguage } from '../page-text.ts';

export interface PhotoStrings {
  label: string;
  hint: string;
  add: string;
  remove: string;
  preparing: string;
  uploading: string;
  uploaded: string;
  failed: string;
  tooMany: string;
  notImage: string;
  refused: string;
  waitForPhotos: string;
}

export const photoText: Record<PageLanguage, PhotoStrings> = {
  zh: {
    label: '照片',
    hint: '最多3张。照片会在手机上缩小后上传，位置等信息会被去除。',
    add: '添加照片',
    remove: '删除',
    preparing: '正在处理照片…',
    uploading: '正在上传…',
    uploaded: '已上传',
    failed: '上传失败，请删除后重试',
    tooMany: '最多只能添加3张照片',
    notImage: '这个文件不是照片',
    refused: '这张照片无法使用，请删除后换一张',
    waitForPhotos: '请等照片上传完成后再提交',
  },
  en: {
    label: 'Photos',
    hint: 'Up to 3. Photos are made smaller on your phone before upload; location and camera details are removed.',
    add: 'Add photos',
    remove: 'Remove',
    preparing: 'Preparing the photo…',
    uploading: 'Uploading…',
    uploaded: 'Uploaded',
    failed: 'Upload failed: remove it and try again',
    tooMany: 'You can add at most 3 photos',
    notImage: 'This file is not a photo',
    refused: 'This photo cannot be used: remove it and choose another',
    waitForPhotos: 'Please wait until the photos are uploaded',
  },
};
